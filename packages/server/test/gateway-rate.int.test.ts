import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ADMIN_PASSWORD,
  api,
  memberCreate,
  newId,
  startServer,
  TestClient,
  type TestServer,
} from './helpers.js';

const stats = (n: number) => Array.from({ length: n }, () => ({ id: newId('cs'), data: {} }));
type Results = Record<string, { accepted: string[]; rejected?: { code: string; message: string }[] }>;

describe('frame rate per connection (defaults)', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startServer();
  });
  afterAll(async () => {
    await t.stop();
  });

  it('a ping flood on one socket gets RATE_LIMITED then 4429, while another socket keeps getting its acks', async () => {
    const flooder = new TestClient(t.wsUrl);
    const desk = new TestClient(t.wsUrl);
    await flooder.hello({ clientId: 'flooder' });
    await desk.hello({ clientId: 'desk' });
    const burst = t.config.frameRateBurst;
    for (let i = 0; i < burst * 3; i++) flooder.send({ type: 'ping', ts: i });
    for (let seq = 1; seq <= 10; seq++) {
      desk.send({ type: 'batch', seq, batches: { member_create: [memberCreate(`m_flood_${seq}`)] } });
    }
    expect((await flooder.closed).code).toBe(4429);
    for (let seq = 1; seq <= 10; seq++) {
      const ack = await desk.next((f) => f.type === 'ack' && f.seq === seq, 20_000);
      expect((ack.results as Results).member_create?.accepted).toHaveLength(1);
    }
    const limited = flooder.frames.filter((f) => f.type === 'error' && f.code === 'RATE_LIMITED');
    expect(limited.length).toBeGreaterThan(0);
    // Every pong was paid for: the burst plus what refilled while the flood was read.
    const pongs = flooder.frames.filter((f) => f.type === 'pong').length;
    expect(pongs).toBeLessThan(burst * 2);
    const text = await (await fetch(`${t.url}/metrics`)).text();
    expect(text).toMatch(/avgym_rate_limited_total\{scope="connection",unit="frames"\} [1-9]/);
    expect(text).toMatch(/avgym_connection_closes_total\{code="4429"\} 1/);
    await desk.close();
  });
});

describe('empty batches and subscribes pay the frame rate', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startServer({ frameRateLimitPerSec: 5, frameRateBurst: 10 });
  });
  afterAll(async () => {
    await t.stop();
  });

  it('refuses empty batches past the frame burst with RATE_LIMITED naming their seq', async () => {
    const c = new TestClient(t.wsUrl);
    await c.hello();
    for (let seq = 0; seq < 15; seq++) c.send({ type: 'batch', seq, batches: {} });
    const refused = await c.next((f) => f.type === 'error' && f.code === 'RATE_LIMITED');
    expect(typeof refused.ref).toBe('number');
    await c.next((f) => f.type === 'error' && f.code === 'RATE_LIMITED' && f.ref === 14);
    expect(c.frames.filter((f) => f.type === 'ack').length).toBeLessThanOrEqual(11);
    await c.close();
  });

  it('refuses subscribes past the frame burst', async () => {
    const c = new TestClient(t.wsUrl);
    await c.hello();
    for (let i = 0; i < 15; i++) c.send({ type: 'subscribe', topics: ['members'] });
    await c.next((f) => f.type === 'error' && f.code === 'RATE_LIMITED');
    await c.close();
  });
});

describe('one budget per credential', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startServer({ credentialRateLimitPerSec: 20, credentialRateBurst: 40 });
  });
  afterAll(async () => {
    await t.stop();
  });

  it('eight sockets of one token, each under its own limit, share one message budget; another credential keeps its own', async () => {
    const sockets = Array.from({ length: 8 }, () => new TestClient(t.wsUrl));
    for (const [i, c] of sockets.entries()) await c.hello({ clientId: `shared-${i}` });
    const login = await api<{ token: string }>(t.url, '/api/session', {
      method: 'POST',
      token: null,
      body: { username: 'admin', password: ADMIN_PASSWORD },
    });
    const staff = new TestClient(t.wsUrl);
    await staff.hello({ token: login.body.token, clientId: 'staff' });
    for (const c of sockets) c.send({ type: 'batch', seq: 1, batches: { client_stats: stats(10) } });
    staff.send({ type: 'batch', seq: 1, batches: { client_stats: stats(10) } });
    const acks = await Promise.all(sockets.map((c) => c.next((f) => f.type === 'ack' && f.seq === 1)));
    const accepted = acks.reduce(
      (n, a) => n + ((a.results as Results).client_stats?.accepted.length ?? 0),
      0,
    );
    expect(accepted).toBeGreaterThanOrEqual(40);
    expect(accepted).toBeLessThan(60);
    const refusal = acks
      .flatMap((a) => (a.results as Results).client_stats?.rejected ?? [])
      .find((r) => r.code === 'RATE_LIMITED');
    expect(refusal?.message).toContain('credential');
    const own = await staff.next((f) => f.type === 'ack' && f.seq === 1);
    expect((own.results as Results).client_stats?.accepted).toHaveLength(10);
    const text = await (await fetch(`${t.url}/metrics`)).text();
    expect(text).toMatch(/avgym_rate_limited_total\{scope="credential",unit="messages"\} [1-9]/);
    for (const c of [...sockets, staff]) await c.close();
  });
});
