import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PREAUTH_STRIKE_LIMIT } from '../src/gateway/connection.js';
import { REFUSED_RECONNECT_WINDOW } from '../src/gateway/gateway.js';
import { startServer, TestClient, type TestServer, until } from './helpers.js';

async function metricsText(url: string): Promise<string> {
  const res = await fetch(`${url}/metrics`);
  return res.text();
}

const seriesOf = (text: string, name: string) => text.split('\n').filter((l) => l.startsWith(`${name}{`));

describe('before hello', () => {
  let t: TestServer;
  const clients: TestClient[] = [];
  const client = () => {
    const c = new TestClient(t.wsUrl);
    clients.push(c);
    return c;
  };

  beforeAll(async () => {
    t = await startServer();
  });
  afterAll(async () => {
    for (const c of clients) await c.close();
    await t.stop();
  });

  it('reads nothing but hello: 20,000 frames of random types over 10 sockets add no series and close each socket 4400', async () => {
    const sockets = Array.from({ length: 10 }, () => client());
    await Promise.all(sockets.map((c) => c.opened));
    for (let i = 0; i < 20_000; i++) {
      const c = sockets[i % sockets.length] as TestClient;
      if (c.ws.readyState === c.ws.OPEN) c.send({ type: `rnd-${i}-${Math.random()}`, id: `x${i}`, data: {} });
    }
    const closes = await Promise.all(sockets.map((c) => c.closed));
    expect(closes.map((c) => c.code)).toEqual(Array(10).fill(4400));
    for (const c of sockets) {
      const errors = c.frames.filter((f) => f.type === 'error');
      expect(errors.length).toBeLessThanOrEqual(PREAUTH_STRIKE_LIMIT);
      expect(errors[0]).toMatchObject({ code: 'NOT_AUTHENTICATED' });
    }
    const text = await metricsText(t.url);
    expect(text).not.toContain('rnd-');
    expect(seriesOf(text, 'avgym_frames_total').length).toBeLessThan(30);
    expect(text.length).toBeLessThan(200_000);
    expect(text).toMatch(/avgym_connection_closes_total\{code="4400"\} 10/);
  });

  it('counts close codes a peer chose outside the protocol as other', async () => {
    const peers = Array.from({ length: 5 }, () => client());
    for (const [i, c] of peers.entries()) {
      await c.hello({ clientId: `closer-${i}` });
      c.ws.close(3100 + i, 'bye');
    }
    await Promise.all(peers.map((c) => c.closed));
    await until(async () => /code="other"\} 5/.test(await metricsText(t.url)));
    expect(await metricsText(t.url)).not.toMatch(/code="31\d\d"/);
  });

  it('closes with 1009 a frame before hello larger than a hello can be', async () => {
    const c = client();
    await c.opened;
    c.send({ type: 'hello', token: 'x', clientId: 'big', pad: 'x'.repeat(20_000) });
    expect((await c.closed).code).toBe(1009);
  });
});

describe('after hello: batch type keys', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startServer();
  });
  afterAll(async () => {
    await t.stop();
  });

  it('refuses a batch with thousands of type keys as BAD_FRAME and never makes a series of a key', async () => {
    const c = new TestClient(t.wsUrl);
    await c.hello();
    for (let f = 0; f < 5; f++) {
      const batches = Object.fromEntries(Array.from({ length: 2_000 }, (_, i) => [`k${f}-${i}`, []]));
      c.send({ type: 'batch', seq: f, batches });
    }
    for (let f = 0; f < 5; f++)
      await c.next((x) => x.type === 'error' && x.code === 'BAD_FRAME' && x.ref === f);
    // A few unknown keys per frame stay allowed: answered UNKNOWN_TYPE, counted as `unknown`.
    // One frame at a time: twenty at once would pass maxInFlight (16) on a slow machine.
    let last: Awaited<ReturnType<typeof c.next>> | undefined;
    for (let f = 0; f < 20; f++) {
      c.send({
        type: 'batch',
        seq: 100 + f,
        batches: { [`junk-${f}`]: [{ id: `j${f}`, data: {} }], [`empty-${f}`]: [] },
      });
      last = await c.next((x) => x.type === 'ack' && x.seq === 100 + f);
    }
    expect(last).toMatchObject({
      results: { 'junk-19': { rejected: [{ id: 'j19', code: 'UNKNOWN_TYPE' }] } },
    });
    const text = await metricsText(t.url);
    expect(text).not.toMatch(/type="(k\d|junk|empty)/);
    expect(seriesOf(text, 'avgym_messages_received_total').length).toBeLessThanOrEqual(6);
    expect(seriesOf(text, 'avgym_messages_total').length).toBeLessThanOrEqual(18);
    await c.close();
  });
});

describe('pre-auth sockets per address and the node cap', () => {
  it('closes with 1013 the socket past MAX_PREAUTH_PER_IP and frees the slot at welcome', async () => {
    const t = await startServer({ maxPreAuthPerIp: 4 });
    try {
      const waiting = Array.from({ length: 4 }, () => new TestClient(t.wsUrl));
      await Promise.all(waiting.map((c) => c.opened));
      const over = new TestClient(t.wsUrl);
      expect((await over.closed).code).toBe(1013);
      // the node paces the retry: a goaway with its window comes first
      expect(over.frames).toEqual([{ type: 'goaway', ...REFUSED_RECONNECT_WINDOW }]);
      await (waiting[0] as TestClient).hello();
      const next = new TestClient(t.wsUrl);
      await next.hello();
      const text = await metricsText(t.url);
      expect(text).toMatch(/avgym_connections_refused_total\{reason="preauth_per_ip"\} 1/);
      expect(text).toMatch(/avgym_connection_closes_total\{code="1013"\} 1/);
      expect(text).toMatch(/avgym_rejected_total\{code="TRY_AGAIN_LATER"\} 1/);
      for (const c of [...waiting, next]) await c.close();
    } finally {
      await t.stop();
    }
  });

  it('closes with 1013 the connection past MAX_CONNECTIONS and takes one again once another left', async () => {
    const t = await startServer({ maxConnections: 3 });
    try {
      const open = Array.from({ length: 3 }, () => new TestClient(t.wsUrl));
      for (const c of open) await c.hello();
      const over = new TestClient(t.wsUrl);
      expect((await over.closed).code).toBe(1013);
      expect(over.frames).toEqual([{ type: 'goaway', ...REFUSED_RECONNECT_WINDOW }]);
      await (open[0] as TestClient).close();
      await until(async () => (await metricsText(t.url)).includes('avgym_connections_open 2'));
      const again = new TestClient(t.wsUrl);
      expect((await again.hello()).type).toBe('welcome');
      expect(await metricsText(t.url)).toMatch(/avgym_connections_refused_total\{reason="node_cap"\} 1/);
      for (const c of [...open, again]) await c.close();
    } finally {
      await t.stop();
    }
  });
});
