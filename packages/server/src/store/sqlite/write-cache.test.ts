import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { member } from '../../../test/contracts/store.contract.js';
import { frozenClock } from '../../../test/support/consumer-harness.js';
import { RecordingSink } from '../../../test/support/recording-sink.js';
import { openTempStore, TEST_NOW, type TempStore } from '../../../test/support/temp-sqlite-store.js';
import { createBatchConsumer } from '../../consumer/batch-consumer.js';
import type { KyselyStore } from '../kysely-store.js';
import { createSqliteStore } from './create-sqlite-store.js';

const silent = pino({ level: 'silent' });

/** What SQL says, read on a fresh connection (no cache of ours in the way). */
async function truth(file: string) {
  const store = createSqliteStore({ file, logger: silent, checkpointIntervalMs: 0 });
  try {
    const occupancy = await store.occupancy(TEST_NOW);
    const members = await store.searchMembers({ limit: 1000 });
    return { current: occupancy.current, todayTotal: occupancy.todayTotal, members };
  } finally {
    await store.close();
  }
}

describe('SQLite write cache (members, open visits, today count in memory)', () => {
  let temp: TempStore | undefined;
  const others: KyselyStore[] = [];
  afterEach(async () => {
    for (const s of others.splice(0)) await s.close();
    await temp?.cleanup();
    temp = undefined;
  });

  async function open() {
    temp = await openTempStore();
    await temp.store.transaction((tx) => tx.insertMembers([member('m_a', 1), member('m_b', 2)]));
    const sink = new RecordingSink();
    const consumer = createBatchConsumer({
      store: temp.store,
      sink,
      logger: silent,
      groupCommitWindowMs: 0,
      clock: frozenClock(),
    });
    return { store: temp.store, file: temp.file, sink, consumer };
  }

  it("sees another connection's commits: member edits and visits written by a second process", async () => {
    const { file, consumer } = await open();
    // Warm the cache: the member and the open-visit map are now in memory.
    await consumer.handleBatch({
      clientId: 'desk-1',
      batches: { check_in: [{ id: 'in-1', data: { memberId: 'm_a', at: TEST_NOW } }] },
    });
    const other = createSqliteStore({ file, logger: silent, checkpointIntervalMs: 0 });
    others.push(other);
    await other.transaction(async (tx) => {
      const open = await tx.openVisits(['m_a']);
      await tx.saveVisits([{ ...open.get('m_a')!, checkedOutAt: TEST_NOW + 1 }]);
      await tx.saveMembers([{ ...member('m_a', 1), status: 'frozen', version: 2 }]);
      await tx.insertVisits([
        { id: 'v_other', memberId: 'm_b', deskId: 'x', checkedInAt: TEST_NOW, checkedOutAt: null },
      ]);
    });
    const out = await consumer.handleBatch({
      clientId: 'desk-1',
      batches: {
        check_in: [
          { id: 'in-2', data: { memberId: 'm_a', at: TEST_NOW + 2 } },
          { id: 'in-3', data: { memberId: 'm_b', at: TEST_NOW + 2 } },
        ],
        check_out: [{ id: 'out-1', data: { memberId: 'm_a', at: TEST_NOW + 2 } }],
      },
    });
    expect(out.results.check_in?.rejected?.map((r) => [r.id, r.code])).toEqual([
      ['in-2', 'MEMBERSHIP_INACTIVE'],
      ['in-3', 'ALREADY_CHECKED_IN'],
    ]);
    expect(out.results.check_out?.rejected?.map((r) => r.code)).toEqual(['NOT_CHECKED_IN']);
  });

  it('keeps occupancy figures equal to SQL counts through check-ins, check-outs and a failed transaction', async () => {
    const { store, file, consumer, sink } = await open();
    const send = (type: string, id: string, memberId: string, at: number) =>
      consumer.handleBatch({ clientId: 'desk-1', batches: { [type]: [{ id, data: { memberId, at } }] } });
    await send('check_in', 'i1', 'm_a', TEST_NOW);
    await send('check_in', 'i2', 'm_b', TEST_NOW - 86_400_000); // yesterday: not in today's total
    await send('check_out', 'o1', 'm_a', TEST_NOW + 5);
    // A transaction that fails after writing must leave neither rows nor cached figures behind.
    await expect(
      store.transaction(async (tx) => {
        await tx.insertVisits([
          { id: 'v_lost', memberId: 'm_a', deskId: null, checkedInAt: TEST_NOW, checkedOutAt: null },
        ]);
        expect((await tx.occupancyCounts(TEST_NOW)).current).toBe(2);
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    await send('check_in', 'i3', 'm_a', TEST_NOW + 10);
    const last = sink.all.filter((e) => e.name === 'occupancy.changed').at(-1)?.data as {
      current: number;
      todayTotal: number;
    };
    const sql = await truth(file);
    expect(last).toMatchObject({ current: sql.current, todayTotal: sql.todayTotal });
    expect([sql.current, sql.todayTotal]).toEqual([2, 2]);
  });

  it('drops what a failed transaction loaded into memory along with its own uncommitted rows', async () => {
    const { store, consumer } = await open();
    await expect(
      store.transaction(async (tx) => {
        await tx.insertVisits([
          { id: 'v_lost', memberId: 'm_a', deskId: null, checkedInAt: TEST_NOW, checkedOutAt: null },
        ]);
        // The first read of open visits loads them all, this transaction's own one included.
        expect((await tx.openVisits(['m_a'])).get('m_a')?.id).toBe('v_lost');
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    const out = await consumer.handleBatch({
      clientId: 'desk-1',
      batches: { check_in: [{ id: 'in-1', data: { memberId: 'm_a', at: TEST_NOW } }] },
    });
    expect(out.results.check_in?.accepted).toEqual(['in-1']);
  });

  it('forgets what a rolled-back savepoint staged, and commits the rest', async () => {
    const { store, file } = await open();
    await store.transaction((tx) => tx.membersById(['m_a'])); // cached
    await store.transaction(async (tx) => {
      await expect(
        tx.savepoint(async () => {
          await tx.saveMembers([{ ...member('m_a', 1), name: 'Never', version: 9 }]);
          throw new Error('handler bug');
        }),
      ).rejects.toThrow('handler bug');
      // After the rollback the transaction reads SQL, which no longer has the change.
      expect((await tx.membersById(['m_a'])).get('m_a')?.name).toBe('Member m_a');
      await tx.saveMembers([{ ...member('m_a', 1), name: 'Kept', version: 2 }]);
    });
    const read = await store.transaction((tx) => tx.membersById(['m_a']));
    expect(read.get('m_a')).toMatchObject({ name: 'Kept', version: 2 });
    expect((await truth(file)).members.find((m) => m.id === 'm_a')?.name).toBe('Kept');
  });

  it('writes every changed column, whether or not the indexed ones (name, status) changed', async () => {
    const { store, file } = await open();
    await store.transaction((tx) => tx.membersById(['m_a'])); // cached
    await store.transaction((tx) =>
      tx.saveMembers([{ ...member('m_a', 1), notes: 'locker 12', version: 2 }]),
    );
    let row = (await truth(file)).members.find((m) => m.id === 'm_a');
    expect(row).toMatchObject({ name: 'Member m_a', status: 'active', notes: 'locker 12', version: 2 });
    await store.transaction((tx) =>
      tx.saveMembers([
        { ...member('m_a', 1), name: 'Ada', status: 'frozen', notes: 'locker 12', version: 3 },
      ]),
    );
    row = (await truth(file)).members.find((m) => m.id === 'm_a');
    expect(row).toMatchObject({ name: 'Ada', status: 'frozen', notes: 'locker 12', version: 3 });
  });

  it('hands out copies: a handler changing what it read changes nothing cached', async () => {
    const { store } = await open();
    await store.transaction(async (tx) => {
      const m = (await tx.membersById(['m_a'])).get('m_a')!;
      m.name = 'Scribbled';
      const v = await tx.openVisits(['m_a']);
      expect(v.size).toBe(0);
    });
    const again = await store.transaction((tx) => tx.membersById(['m_a']));
    expect(again.get('m_a')?.name).toBe('Member m_a');
  });
});
