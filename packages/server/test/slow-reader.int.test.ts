import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, memberCreate, newId, startServer, TestClient, type TestServer } from './helpers.js';

type Stats = {
  closesByCode: Record<string, number>;
  events: { dropped: number };
  queues: { outboundMaxBytes: number };
};

describe('slow reader', () => {
  let t: TestServer;
  const softBytes = 64 * 1024;
  const hardBytes = 512 * 1024;

  beforeAll(async () => {
    t = await startServer({ outboundSoftBytes: softBytes, outboundHardBytes: hardBytes });
  });
  afterAll(async () => {
    await t.stop();
  });

  it('sheds droppable events, then closes a reader that never reads with 4508, bounded, others unaffected', async () => {
    const writer = new TestClient(t.wsUrl);
    const healthy = new TestClient(t.wsUrl);
    const slow = new TestClient(t.wsUrl);
    try {
      await writer.hello();
      await healthy.hello({ topics: ['*'] });
      const { eventSeq: start } = await slow.hello({ topics: ['*'] });
      slow.ws.pause();
      let seq = 0;
      const write = async (batches: Record<string, unknown[]>) => {
        const s = ++seq;
        writer.send({ type: 'batch', seq: s, batches });
        await writer.next((f) => f.type === 'ack' && f.seq === s, 10_000, writer.frames.length - 5);
      };
      await write({ member_create: [memberCreate('m_slow'), memberCreate('m_busy')] });
      const notes = 'n'.repeat(1900);
      let stats: Stats | undefined;
      let maxDepth = 0;
      for (let round = 0; round < 80; round++) {
        await write({
          check_in: [{ id: newId(), data: { memberId: 'm_busy' } }],
          check_out: [{ id: newId(), data: { memberId: 'm_busy' } }],
          member_update: Array.from({ length: 150 }, (_, i) => ({
            id: newId(),
            data: { memberId: 'm_slow', changes: { notes: `${round}-${i}-${notes}` } },
          })),
        });
        stats = (await api<Stats>(t.url, '/api/stats')).body;
        maxDepth = Math.max(maxDepth, stats.queues.outboundMaxBytes);
        if (stats.closesByCode['4508']) break;
      }
      expect(stats?.closesByCode['4508']).toBe(1);
      expect(stats?.events.dropped).toBeGreaterThan(0);
      // the hard limit plus at most one frame in flight
      expect(maxDepth).toBeLessThan(hardBytes + 1024 * 1024);

      slow.ws.resume();
      expect((await slow.closed).code).toBe(4508);

      // the healthy reader got every event, gap-free, including the droppable ones
      const { eventSeq } = (await api<{ events: { eventSeq: number } }>(t.url, '/api/stats')).body.events;
      await healthy.next((f) => (f.type === 'events' ? f.to : f.seq) === eventSeq, 10_000);
      const seqs = healthy.events().map((e) => e.seq as number);
      expect(seqs[0]).toBe((start as number) + 1);
      expect(seqs.at(-1)).toBe(eventSeq);
      expect(healthy.events().some((e) => e.name === 'occupancy.changed')).toBe(true);
      expect(seqs).toEqual(seqs.map((_, i) => (start as number) + 1 + i));
    } finally {
      await Promise.all([writer.close(), healthy.close(), slow.close()]);
    }
  });
});
