import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newId, startServer, TestClient, type TestServer } from './helpers.js';

describe('abuse and limits', () => {
  let t: TestServer;
  const clients: TestClient[] = [];
  const connect = async () => {
    const c = new TestClient(t.wsUrl);
    clients.push(c);
    await c.hello();
    return c;
  };

  beforeAll(async () => {
    t = await startServer({ rateLimitPerSec: 5, rateLimitBurst: 5 });
  });
  afterAll(async () => {
    for (const c of clients) await c.close();
    await t.stop();
  });

  it('answers garbage with BAD_FRAME (with ref when it can) and stays usable', async () => {
    const c = await connect();
    c.send('{not json');
    c.send('[1,2]');
    c.send({ type: 'batch', seq: 41, batches: 'nope' });
    c.ws.send(Buffer.from([1, 2, 3]), { binary: true });
    await c.next((f) => f.type === 'error' && String(f.message).includes('binary'));
    const errors = c.frames.filter((f) => f.type === 'error');
    expect(errors.map((e) => e.code)).toEqual(['BAD_FRAME', 'BAD_FRAME', 'BAD_FRAME', 'BAD_FRAME']);
    expect(errors[2]).toMatchObject({ ref: 41 });
    expect(errors[2]?.message).toContain('batches');
    c.send({ type: 'ping', ts: 5 });
    expect((await c.next((f) => f.type === 'pong')).ts).toBe(5);
  });

  it('closes with 4400 after ten bad frames within a minute, leaving other connections alone', async () => {
    const bad = await connect();
    const good = await connect();
    for (let i = 0; i < 10; i++) bad.send(`garbage ${i}`);
    expect((await bad.closed).code).toBe(4400);
    good.send({ type: 'ping', ts: 9 });
    expect((await good.next((f) => f.type === 'pong')).ts).toBe(9);
  });

  it('closes with 1009 on a frame over maxFrameBytes', async () => {
    const c = await connect();
    c.send({ type: 'ping', ts: 1, pad: 'x'.repeat(1_048_576) });
    expect((await c.closed).code).toBe(1009);
  });

  it('rejects messages over the rate with RATE_LIMITED and closes with 4429 on repeated abuse', async () => {
    const c = await connect();
    const items = Array.from({ length: 5 }, () => ({ id: newId(), data: {} }));
    c.send({ type: 'batch', seq: 1, batches: { client_stats: items } });
    const ok = await c.next((f) => f.type === 'ack' && f.seq === 1);
    expect((ok.results as Record<string, { accepted: string[] }>).client_stats?.accepted).toHaveLength(5);
    const extra = { id: newId(), data: {} };
    c.send({ type: 'batch', seq: 2, batches: { client_stats: [extra] } });
    const limited = await c.next((f) => f.type === 'ack' && f.seq === 2);
    expect(limited.results).toEqual({
      client_stats: {
        accepted: [],
        rejected: [expect.objectContaining({ id: extra.id, code: 'RATE_LIMITED' })],
      },
    });
    for (let i = 0; i < 30; i++)
      c.send({ type: 'batch', seq: 10 + i, batches: { client_stats: [{ id: newId(), data: {} }] } });
    expect((await c.closed).code).toBe(4429);
  });
});
