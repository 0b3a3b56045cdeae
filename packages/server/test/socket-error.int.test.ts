import type { Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { memberCreate, startServer, TestClient, type TestServer } from './helpers.js';

/**
 * The gateway replaces @fastify/websocket's socket error listener with its own (so the upgrade's
 * request and reply are not kept for the socket's life, issue 15): a WebSocket-level error on one
 * socket must still close that socket alone, and the server must keep serving.
 */
describe('a WebSocket protocol error on one socket', () => {
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

  it('closes that socket only; the others and new ones are served', async () => {
    const bystander = client();
    await bystander.hello();
    const bad = client();
    await bad.hello();
    // a masked text frame with RSV2 and RSV3 set: ws's receiver refuses it with an error event
    const raw = (bad.ws as unknown as { _socket: Socket })._socket;
    raw.write(Buffer.from([0xb1, 0x80, 0, 0, 0, 0]));
    const closed = await bad.closed;
    expect([1002, 1006]).toContain(closed.code);
    bystander.send({ type: 'batch', seq: 1, batches: { member_create: [memberCreate('m_sock_err_1')] } });
    expect((await bystander.next((f) => f.type === 'ack' && f.seq === 1)).type).toBe('ack');
    const later = client();
    expect((await later.hello()).type).toBe('welcome');
  });
});
