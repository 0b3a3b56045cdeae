import { deflateRawSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import type { Compressor } from '../codec/frame-compressor.js';
import { FakeServer, type FakeServerOptions } from '../testing/fake-server.js';
import { ManualClock } from '../testing/manual-clock.js';
import type { WebSocketServiceOptions } from './service-options.js';
import { WebSocketService } from './websocket-service.js';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

const syncDeflate: Compressor = (b) => deflateRawSync(b, { level: 1 });

async function setup(options: Partial<WebSocketServiceOptions> = {}, serverOptions: FakeServerOptions = {}) {
  const server = await new FakeServer({ deflate: true, ...serverOptions }).start();
  const svc = new WebSocketService({
    url: server.url,
    clientId: 'desk-1',
    WebSocket,
    clock: new ManualClock(),
    random: () => 0.5,
    network: null,
    pingIntervalMs: 1e12,
    clientStatsIntervalMs: 0,
    compress: syncDeflate,
    ...options,
  });
  cleanups.push(async () => {
    await svc.close();
    await server.stop();
  });
  return { server, svc };
}

/** Wire facts of the message frames the server received (hello and ping left out), in arrival order. */
const messageFrames = (server: FakeServer) =>
  server.frames
    .map((f, i) => ({ type: String(f.type), ...server.wire[i] }))
    .filter((w) => w.type !== 'hello' && w.type !== 'ping');

/** `n` check-ins queued before connecting leave together in one batch of about 40 x 50 bytes. */
const checkIns = (svc: WebSocketService, n: number, from = 0) =>
  Array.from({ length: n }, (_, i) => svc.send('check_in', { memberId: `m_${from + i}`, deskId: 'desk-1' }));

describe('WebSocketService with the deflate-raw codec', () => {
  it('offers deflate-raw and json in hello when it can compress, json alone when it cannot', async () => {
    const a = await setup();
    await a.svc.connect();
    expect(a.server.received('hello')[0]?.codecs).toEqual(['deflate-raw', 'json']);
    const b = await setup({ compress: null });
    await b.svc.connect();
    expect(b.server.received('hello')[0]?.codecs).toEqual(['json']);
  });

  it('sends a batch over the threshold compressed, gets it acked, and counts the bytes actually sent', async () => {
    const { svc, server } = await setup();
    const sends = checkIns(svc, 40);
    await svc.connect();
    expect((await Promise.all(sends)).every((o) => o.ok)).toBe(true);
    const wire = messageFrames(server);
    expect(wire).toHaveLength(1);
    expect(wire[0]).toMatchObject({ type: 'batch', binary: true });
    const b = svc.getMetrics().batching;
    expect(b.compressedFrames).toBe(1);
    expect(b.bytesSent).toBe(wire[0]?.bytes);
    expect(b.compressionRatio).toBeLessThan(0.5);
    expect(b.savedRatio).toBeCloseTo(1 - b.bytesSent / b.bytesUnbatched, 9);
    expect(b.savedRatio).toBeGreaterThan(0.7);
  });

  it('sends a frame under compressMinBytes as text', async () => {
    const { svc, server } = await setup({ compressMinBytes: 100_000 });
    const sends = checkIns(svc, 40);
    await svc.connect();
    await Promise.all(sends);
    expect(messageFrames(server)[0]).toMatchObject({ type: 'batch', binary: false });
    expect(svc.getMetrics().batching).toMatchObject({ compressedFrames: 0, compressionRatio: 1 });
  });

  it('sends text when the server does not take the codec', async () => {
    const { svc, server } = await setup({}, { deflate: false });
    const sends = checkIns(svc, 40);
    await svc.connect();
    await Promise.all(sends);
    expect(messageFrames(server)[0]).toMatchObject({ type: 'batch', binary: false });
  });

  it('turns compression off with the optimization toggle, and on again', async () => {
    const { svc, server } = await setup({ batching: { maxBatchSize: 40 } });
    await svc.connect();
    svc.setOptimization(false);
    expect(await svc.send('note', { text: 'x'.repeat(1500) })).toMatchObject({ ok: true });
    expect(messageFrames(server).at(-1)).toMatchObject({ binary: false });
    svc.setOptimization(true);
    await Promise.all(checkIns(svc, 40));
    expect(messageFrames(server).at(-1)).toMatchObject({ binary: true });
  });

  it('keeps frame order with the async CompressionStream: a small text frame never overtakes a compressed one', async () => {
    // the default compressor (no `compress` option) is the platform's async CompressionStream
    const { svc, server } = await setup({ compress: undefined, batching: { maxBatchSize: 40 } });
    await svc.connect();
    const sends = checkIns(svc, 41); // one flush: a batch of 40 (compressed) then 1 alone (text)
    expect((await Promise.all(sends)).every((o) => o.ok)).toBe(true);
    expect(messageFrames(server).map((w) => [w.type, w.binary])).toEqual([
      ['batch', true],
      ['check_in', false],
    ]);
    expect(server.applied.map((a) => (a.data as { memberId: string }).memberId)).toEqual(
      Array.from({ length: 41 }, (_, i) => `m_${i}`),
    );
  });
});
