import { type BatchFrame, conflictKey, orderedItems, type Priority } from '@av-gym/protocol';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ManualClock, settle } from '../testing/manual-clock.js';
import type { OutgoingFrame } from './frame-builder.js';
import { MessageBatcher } from './message-batcher.js';

const TYPES = ['check_in', 'check_out', 'member_update', 'member_create', 'client_stats'] as const;

type Op =
  | { op: 'send'; type: (typeof TYPES)[number]; member: number; priority: Priority | undefined }
  | { op: 'advance'; ms: number }
  | { op: 'writable'; state: 'open' | 'busy' | 'closed' }
  | { op: 'ack' }
  | { op: 'disconnect' };

const opArb: fc.Arbitrary<Op> = fc.oneof(
  {
    weight: 6,
    arbitrary: fc.record({
      op: fc.constant('send' as const),
      type: fc.constantFrom(...TYPES),
      member: fc.nat(4),
      priority: fc.option(fc.constantFrom<Priority>('high', 'medium', 'low'), { nil: undefined, freq: 4 }),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({ op: fc.constant('advance' as const), ms: fc.integer({ min: 1, max: 200 }) }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      op: fc.constant('writable' as const),
      state: fc.constantFrom('open', 'busy', 'closed'),
    }),
  },
  { weight: 1, arbitrary: fc.constant({ op: 'ack' as const }) },
  { weight: 1, arbitrary: fc.constant({ op: 'disconnect' as const }) },
);

/**
 * Drives a batcher with random sends, time, backpressure, acks and lost connections (the
 * frames since the last ack are lost and their messages requeued, as the service does).
 * Returns the frames that were delivered (acked) in order, and what each send became.
 */
async function run(ops: Op[], maxQueueSize: number, maxBatchSize = 50) {
  const clock = new ManualClock();
  let writable: 'open' | 'busy' | 'closed' = 'open';
  let unacked: OutgoingFrame[] = [];
  const delivered: OutgoingFrame[] = [];
  const batcher = new MessageBatcher(
    { writable: () => writable, write: (f) => unacked.push(f) },
    { clock, maxQueueSize, maxBatchSize },
  );
  const kept = new Map<string, { key: string | undefined; order: number }>();
  const droppedIds = new Set<string>();
  const lowIds = new Set<string>();
  let n = 0;
  for (const o of ops) {
    if (o.op === 'send') {
      const id = `id${n++}`;
      const memberId = `m_${o.member}`;
      const data =
        o.type === 'member_update'
          ? { memberId, changes: { notes: id } }
          : o.type === 'client_stats'
            ? { n }
            : o.type === 'member_create'
              ? { memberId, name: 'n', plan: 'basic', expiresAt: '2027-01-01' }
              : { memberId };
      const r = batcher.enqueue({ id, type: o.type, data, priority: o.priority });
      if (r.status === 'queued') {
        if (r.message.priority === 'low') lowIds.add(id);
        else kept.set(id, { key: conflictKey(o.type, data), order: r.message.order });
      }
    } else if (o.op === 'advance') await clock.advance(o.ms);
    else if (o.op === 'writable') {
      writable = o.state;
      batcher.notifyWritable();
    } else if (o.op === 'ack') {
      delivered.push(...unacked);
      unacked = [];
      batcher.notifyWritable();
    } else {
      const lost = unacked.flatMap((f) => f.messages).filter((m) => m.priority !== 'low');
      for (const f of unacked) for (const m of f.messages) if (m.priority === 'low') droppedIds.add(m.id);
      unacked = [];
      batcher.requeue(lost);
    }
    await settle(2);
  }
  writable = 'open';
  batcher.notifyWritable();
  await clock.advance(1_000);
  delivered.push(...unacked);
  batcher.dispose();
  return { delivered, kept, lowIds, droppedIds, stats: batcher.stats() };
}

describe('MessageBatcher properties', () => {
  it('delivers every accepted high and medium message exactly once, members in order, frames within limits', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(opArb, { maxLength: 150 }),
        fc.constantFrom(10, 200),
        fc.constantFrom(3, 50),
        async (ops, maxQueueSize, maxBatchSize) => {
          const { delivered, kept } = await run(ops, maxQueueSize, maxBatchSize);
          const seen = new Map<string, number>();
          const lastOrderOfKey = new Map<string, number>();
          for (const frame of delivered) {
            expect(frame.messages.length).toBeLessThanOrEqual(maxBatchSize);
            // the server applies a batch in orderedItems order: it must be the enqueue order
            const applied =
              frame.kind === 'batch'
                ? orderedItems(JSON.parse(frame.text) as BatchFrame).map((x) => (x.item as { id: string }).id)
                : [frame.messages[0]?.id ?? ''];
            expect(applied).toEqual(frame.messages.map((m) => m.id));
            for (const msg of frame.messages) {
              seen.set(msg.id, (seen.get(msg.id) ?? 0) + 1);
              const info = kept.get(msg.id);
              if (info?.key === undefined) continue;
              const last = lastOrderOfKey.get(info.key) ?? -1;
              expect(info.order).toBeGreaterThan(last);
              lastOrderOfKey.set(info.key, info.order);
            }
          }
          for (const id of kept.keys()) expect(seen.get(id)).toBe(1);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('accounts for every low-priority message: delivered, or dropped and counted', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(opArb, { maxLength: 150 }), async (ops) => {
        const { delivered, lowIds, droppedIds, stats } = await run(ops, 10);
        const deliveredIds = new Set(delivered.flatMap((f) => f.messages.map((m) => m.id)));
        let queueDrops = 0;
        for (const id of lowIds) {
          if (!deliveredIds.has(id) && !droppedIds.has(id)) queueDrops++;
        }
        // drops of queued low messages plus lows refused at the door
        expect(stats.droppedByPriority.low).toBeGreaterThanOrEqual(queueDrops);
        expect(stats.droppedByPriority.high + stats.droppedByPriority.medium).toBe(0);
      }),
      { numRuns: 100 },
    );
  });
});
