import { deflateRawSync } from 'node:zlib';
import type { TypeResult } from '@av-gym/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, memberCreate, startServer, TestClient, type TestServer } from './helpers.js';

type Ack = { type: 'ack'; seq: number; results: Record<string, TypeResult> };
interface StatsBytes {
  bytes: {
    in: number;
    compressedFramesIn: number;
    compressedIn: number;
    inflatedIn: number;
    compressionRatio: number;
  };
}

describe('deflate-raw codec', () => {
  let t: TestServer;
  const clients: TestClient[] = [];
  const client = () => {
    const c = new TestClient(t.wsUrl);
    clients.push(c);
    return c;
  };
  const sendDeflated = (c: TestClient, frame: unknown) => c.ws.send(deflateRawSync(JSON.stringify(frame)));

  beforeAll(async () => {
    t = await startServer();
  });
  afterAll(async () => {
    for (const c of clients) await c.close();
    await t.stop();
  });

  describe('negotiation', () => {
    it('answers deflate-raw when the client offers it', async () => {
      const welcome = await client().hello({ codecs: ['deflate-raw', 'json'] });
      expect(welcome.codec).toBe('deflate-raw');
    });

    it('answers json when only unknown codecs or json are offered', async () => {
      expect((await client().hello({ codecs: ['msgpack', 'json'] })).codec).toBe('json');
    });

    it('leaves codec out of welcome when the client offers none', async () => {
      expect(await client().hello()).not.toHaveProperty('codec');
    });
  });

  it('applies and acks a compressed batch, and counts its bytes in /api/stats', async () => {
    const c = client();
    await c.hello({ codecs: ['deflate-raw'] });
    const creates = Array.from({ length: 20 }, (_, i) => memberCreate(`m_codec_${i}`));
    const frame = { type: 'batch', seq: 1, batches: { member_create: creates } };
    const plainBytes = Buffer.byteLength(JSON.stringify(frame));
    sendDeflated(c, frame);
    const ack = (await c.next((f) => f.type === 'ack' && f.seq === 1)) as unknown as Ack;
    expect(ack.results.member_create?.accepted).toEqual(creates.map((m) => m.id));
    const member = await api(t.url, '/api/members/m_codec_7');
    expect(member.status).toBe(200);
    const stats = (await api<StatsBytes>(t.url, '/api/stats')).body.bytes;
    expect(stats.compressedFramesIn).toBeGreaterThanOrEqual(1);
    expect(stats.inflatedIn).toBeGreaterThanOrEqual(plainBytes);
    expect(stats.compressedIn).toBeLessThan(stats.inflatedIn);
    expect(stats.compressionRatio).toBeCloseTo(stats.compressedIn / stats.inflatedIn, 6);
    expect(stats.in).toBeGreaterThanOrEqual(stats.compressedIn);
  });

  it('still takes text frames after negotiating', async () => {
    const c = client();
    await c.hello({ codecs: ['deflate-raw'] });
    c.send({ type: 'ping', ts: 7 });
    expect((await c.next((f) => f.type === 'pong')).ts).toBe(7);
    sendDeflated(c, { type: 'ping', ts: 8 });
    expect((await c.next((f) => f.type === 'pong' && f.ts === 8)).ts).toBe(8);
  });

  it('answers corrupt binary data with BAD_FRAME and stays usable', async () => {
    const c = client();
    await c.hello({ codecs: ['deflate-raw'] });
    c.ws.send(Buffer.from('this is not deflate data'));
    expect(await c.next((f) => f.type === 'error')).toMatchObject({ code: 'BAD_FRAME' });
    sendDeflated(c, { type: 'ping', ts: 9 });
    expect((await c.next((f) => f.type === 'pong')).ts).toBe(9);
  });

  it('answers deflated data that is not a frame with BAD_FRAME', async () => {
    const c = client();
    await c.hello({ codecs: ['deflate-raw'] });
    c.ws.send(deflateRawSync('[1,2,3]'));
    expect(await c.next((f) => f.type === 'error')).toMatchObject({ code: 'BAD_FRAME' });
  });

  it('closes with 1009 on a frame that inflates past maxFrameBytes, without inflating it all', async () => {
    const c = client();
    await c.hello({ codecs: ['deflate-raw'] });
    const bomb = deflateRawSync(Buffer.alloc(64 * 1024 * 1024, 0x20));
    expect(bomb.length).toBeLessThan(t.config.limits.maxFrameBytes);
    c.ws.send(bomb);
    expect((await c.closed).code).toBe(1009);
  });

  it('answers a binary frame with BAD_FRAME when no codec was negotiated', async () => {
    const c = client();
    await c.hello();
    sendDeflated(c, { type: 'ping', ts: 1 });
    expect(await c.next((f) => f.type === 'error')).toMatchObject({ code: 'BAD_FRAME' });
    c.send({ type: 'ping', ts: 2 });
    expect((await c.next((f) => f.type === 'pong')).ts).toBe(2);
  });
});
