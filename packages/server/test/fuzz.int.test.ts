import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, startServer, TestClient, type TestServer } from './helpers.js';

/** Frames shaped almost like real ones: known types with arbitrary fields. */
const roughFrame = fc.oneof(
  fc.string(),
  fc.json(),
  fc
    .record(
      {
        type: fc.constantFrom(
          'batch',
          'hello',
          'ping',
          'subscribe',
          'unsubscribe',
          'check_in',
          'member_update',
          '__proto__',
        ),
        seq: fc.oneof(fc.integer(), fc.string(), fc.constant(null)),
        id: fc.oneof(fc.string({ maxLength: 80 }), fc.integer()),
        data: fc.anything(),
        batches: fc.oneof(
          fc.dictionary(
            fc.constantFrom(
              'check_in',
              'check_out',
              'member_create',
              'member_update',
              'client_stats',
              'constructor',
            ),
            fc.array(fc.anything(), { maxLength: 4 }),
          ),
          fc.anything(),
        ),
        order: fc.anything(),
        topics: fc.anything(),
        ts: fc.anything(),
      },
      { requiredKeys: ['type'] },
    )
    .map((f) => JSON.stringify(f)),
);

describe('arbitrary input', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startServer();
  });
  afterAll(async () => {
    await t.stop();
  });

  it('never crashes the server or disturbs another connection', async () => {
    const frames = fc.sample(roughFrame, { numRuns: 400, seed: 20261126 });
    const bystander = new TestClient(t.wsUrl);
    await bystander.hello({ topics: ['*'] });
    const closes: number[] = [];
    for (let i = 0; i < frames.length; i += 40) {
      const c = new TestClient(t.wsUrl);
      await c.hello();
      for (const text of frames.slice(i, i + 40)) if (c.ws.readyState === c.ws.OPEN) c.send(text);
      c.send({ type: 'ping', ts: i });
      const outcome = await Promise.race([
        c.next((f) => f.type === 'pong' && f.ts === i).then(() => 'open'),
        c.closed.then((x) => x.code),
      ]);
      closes.push(typeof outcome === 'number' ? outcome : 0);
      await c.close();
    }
    expect(closes.every((code) => code === 0 || code === 4400 || code === 4429)).toBe(true);
    bystander.send({ type: 'ping', ts: 42 });
    expect((await bystander.next((f) => f.type === 'pong' && f.ts === 42)).ts).toBe(42);
    expect((await api(t.url, '/healthz', { token: null })).status).toBe(200);
    await bystander.close();
  });
});
