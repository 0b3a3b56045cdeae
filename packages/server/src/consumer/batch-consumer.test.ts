import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openTempStore, TEST_NOW, type TempStore } from '../store/temp-sqlite-store.js';
import { createBatchConsumer } from './batch-consumer.js';
import { RecordingSink } from './recording-sink.js';
import type { BatchConsumer } from './types.js';

const silent = pino({ level: 'silent' });
const fixedClock = {
  now: () => TEST_NOW,
  setTimeout: (fn: () => void, ms: number) => setTimeout(fn, ms),
  clearTimeout: (h: unknown) => clearTimeout(h as ReturnType<typeof setTimeout>),
};

describe('BatchConsumer', () => {
  let temp: TempStore;
  let sink: RecordingSink;
  let consumer: BatchConsumer;

  beforeEach(async () => {
    temp = await openTempStore();
    sink = new RecordingSink();
    consumer = createBatchConsumer({ store: temp.store, sink, logger: silent, clock: fixedClock });
  });
  afterEach(async () => {
    await consumer.drain();
    await temp.cleanup();
  });

  async function createMember(id: string, extra: Record<string, unknown> = {}) {
    const out = await consumer.handleBatch({
      clientId: 'desk-1',
      batches: {
        member_create: [
          {
            id: `create-${id}`,
            data: { memberId: id, name: `Member ${id}`, plan: 'basic', expiresAt: '2027-12-31', ...extra },
          },
        ],
      },
    });
    expect(out.results.member_create?.accepted).toEqual([`create-${id}`]);
  }

  describe('ordering', () => {
    it('applies in/out/in for one member in one batch as three accepted messages and one open visit', async () => {
      await createMember('m_a');
      const out = await consumer.handleBatch({
        clientId: 'desk-1',
        batches: {
          check_in: [
            { id: 'in-1', data: { memberId: 'm_a' } },
            { id: 'in-2', data: { memberId: 'm_a' } },
          ],
          check_out: [{ id: 'out-1', data: { memberId: 'm_a' } }],
        },
        order: [
          ['check_in', 1],
          ['check_out', 1],
          ['check_in', 1],
        ],
      });
      expect(out.results.check_in?.accepted).toEqual(['in-1', 'in-2']);
      expect(out.results.check_out?.accepted).toEqual(['out-1']);
      const open = await temp.store.listVisits({ memberId: 'm_a', open: true, limit: 10 });
      expect(open).toHaveLength(1);
      const all = await temp.store.listVisits({ memberId: 'm_a', limit: 10 });
      expect(all).toHaveLength(2);
    });
  });
});
