import { afterEach, describe, expect, it } from 'vitest';
import WebSocket, { WebSocketServer } from 'ws';
import { ByteCountingProxy } from './byte-counting-proxy.js';

describe('ByteCountingProxy', () => {
  const closers: (() => void)[] = [];
  afterEach(() => {
    for (const close of closers.splice(0)) close();
  });

  it('forwards WebSocket traffic and counts the bytes each way, framing included', async () => {
    const wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
    await new Promise((r) => wss.once('listening', r));
    wss.on('connection', (s) => s.on('message', (m) => s.send(m)));
    closers.push(() => wss.close());
    const port = (wss.address() as { port: number }).port;
    const proxy = await ByteCountingProxy.open(port);
    closers.push(() => proxy.close());

    const client = new WebSocket(`ws://127.0.0.1:${proxy.port}/`, { perMessageDeflate: false });
    closers.push(() => client.terminate());
    await new Promise((r) => client.once('open', r));
    const before = proxy.snapshot();
    const echoed = new Promise<string>((r) => client.once('message', (m) => r(String(m))));
    client.send('x'.repeat(100));
    expect(await echoed).toBe('x'.repeat(100));
    const after = proxy.snapshot();
    // 100 payload bytes + 2 header bytes + 4 mask bytes from the client; unmasked back.
    expect(after.upBytes - before.upBytes).toBe(106);
    expect(after.downBytes - before.downBytes).toBe(102);
  });
});
