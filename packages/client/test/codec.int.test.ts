import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { WebSocketService } from '../src/index.js';
import { type InProcessServer, startInProcessServer } from './in-process-server.js';

const TOKEN = 'client-codec-token-0123456789';

let server: InProcessServer;
let httpUrl: string;

beforeAll(async () => {
  server = await startInProcessServer(TOKEN);
  httpUrl = server.httpUrl;
});

afterAll(async () => {
  await server?.close();
});

interface StatsBytes {
  bytes: { compressedFramesIn: number; compressedIn: number; inflatedIn: number };
}

describe('WebSocketService with deflate-raw against the real server', () => {
  it('negotiates deflate-raw by default, sends batches compressed, and every message is stored and acked', async () => {
    // default options: the codec is offered because Node 20 has CompressionStream
    const desk = new WebSocketService({
      url: `${httpUrl.replace(/^http/, 'ws')}/ws`,
      token: TOKEN,
      clientId: 'desk-codec',
      WebSocket,
      network: null,
      clientStatsIntervalMs: 0,
    });
    try {
      const creates = Array.from({ length: 120 }, (_, i) =>
        desk.send('member_create', {
          memberId: `m_codec_${i}`,
          name: `Member ${i}`,
          plan: 'standard',
          expiresAt: '2099-12-31',
        }),
      );
      await desk.connect();
      const outcomes = await Promise.all(creates);
      expect(outcomes.every((o) => o.ok)).toBe(true);
      const checkIns = await Promise.all(
        Array.from({ length: 120 }, (_, i) => desk.send('check_in', { memberId: `m_codec_${i}` })),
      );
      expect(checkIns.every((o) => o.ok)).toBe(true);

      const b = desk.getMetrics().batching;
      expect(b.compressedFrames).toBeGreaterThan(0);
      expect(b.compressionRatio).toBeLessThan(0.5);
      expect(b.bytesSent).toBeLessThan(b.bytesUnbatched);

      const res = await fetch(`${httpUrl}/api/stats`, { headers: { authorization: `Bearer ${TOKEN}` } });
      const stats = ((await res.json()) as StatsBytes).bytes;
      expect(stats.compressedFramesIn).toBe(b.compressedFrames);
      expect(stats.inflatedIn).toBeGreaterThan(stats.compressedIn);
      const occupancy = await fetch(`${httpUrl}/api/occupancy`, {
        headers: { authorization: `Bearer ${TOKEN}` },
      });
      expect(await occupancy.json()).toMatchObject({ current: 120 });
    } finally {
      await desk.close();
    }
  });
});
