import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_PASSWORD, api, startServer, TestClient, type TestServer } from './helpers.js';

describe('session handshake', () => {
  let t: TestServer;
  const clients: TestClient[] = [];
  const client = (options?: ConstructorParameters<typeof TestClient>[1]) => {
    const c = new TestClient(t.wsUrl, options);
    clients.push(c);
    return c;
  };

  beforeAll(async () => {
    t = await startServer({ helloTimeoutMs: 300 });
  });
  afterAll(async () => {
    for (const c of clients) await c.close();
    await t.stop();
  });

  it('answers hello with welcome, session id, server time, event seq and limits', async () => {
    const c = client();
    const before = Date.now();
    const welcome = await c.hello({ topics: ['*'] });
    expect(welcome).toMatchObject({
      type: 'welcome',
      eventSeq: 0,
      resumed: false,
      limits: { maxFrameBytes: 1_048_576, maxBatchSize: 500, maxInFlight: 16 },
    });
    expect(typeof welcome.sessionId).toBe('string');
    expect(welcome.serverTime).toBeGreaterThanOrEqual(before - 1000);
  });

  it('answers ping with pong carrying the same ts and the server time', async () => {
    const c = client();
    await c.hello();
    c.send({ type: 'ping', ts: 12345 });
    const pong = await c.next((f) => f.type === 'pong');
    expect(pong.ts).toBe(12345);
    expect(typeof pong.serverTime).toBe('number');
  });

  it('refuses frames before hello with NOT_AUTHENTICATED and keeps the connection open', async () => {
    const c = client();
    await c.opened;
    c.send({ type: 'ping', ts: 1 });
    const error = await c.next((f) => f.type === 'error');
    expect(error).toMatchObject({ code: 'NOT_AUTHENTICATED' });
    const welcome = await c.hello();
    expect(welcome.type).toBe('welcome');
  });

  it('closes with 4408 when no hello arrives in time', async () => {
    const c = client();
    await c.opened;
    const closed = await c.closed;
    expect(closed.code).toBe(4408);
  });

  it('closes with 4401 for a wrong or missing token', async () => {
    const wrong = client();
    await wrong.opened;
    wrong.send({ type: 'hello', token: 'not-a-token', clientId: 'x' });
    expect((await wrong.closed).code).toBe(4401);
    const missing = client();
    await missing.opened;
    missing.send({ type: 'hello', clientId: 'x' });
    expect((await missing.closed).code).toBe(4401);
  });

  it('accepts a staff session token from POST /api/session', async () => {
    const login = await api<{ token: string }>(t.url, '/api/session', {
      method: 'POST',
      token: null,
      body: { username: 'admin', password: ADMIN_PASSWORD },
    });
    expect(login.status).toBe(200);
    const c = client();
    const welcome = await c.hello({ token: login.body.token });
    expect(welcome.type).toBe('welcome');
  });

  it('refuses a foreign Origin with HTTP 403 and admits its own origin and no origin', async () => {
    const foreign = client({ origin: 'http://evil.example' });
    await expect(foreign.opened).rejects.toThrow('HTTP 403');
    const own = client({ origin: t.url });
    expect((await own.hello()).type).toBe('welcome');
    const local = client({ origin: t.url.replace('127.0.0.1', 'localhost') });
    expect((await local.hello()).type).toBe('welcome');
  });

  it('answers a second hello with BAD_FRAME and stays open', async () => {
    const c = client();
    await c.hello();
    c.send({ type: 'hello', token: 'x', clientId: 'again' });
    expect(await c.next((f) => f.type === 'error')).toMatchObject({ code: 'BAD_FRAME' });
    c.send({ type: 'ping', ts: 2 });
    expect((await c.next((f) => f.type === 'pong')).ts).toBe(2);
  });
});
