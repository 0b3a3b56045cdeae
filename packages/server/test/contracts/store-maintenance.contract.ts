import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { Housekeeper } from '../../src/store/housekeeping.js';
import type { KyselyStore } from '../../src/store/kysely-store.js';
import type { ProcessedRecord } from '../../src/store/records.js';
import { TEST_NOW } from '../support/temp-sqlite-store.js';
import { member, type StoreHarnessFactory } from './store.contract.js';

const DAY_MS = 86_400_000;
const silent = pino({ level: 'silent' });
const accepted = (id: string, fingerprint?: string): ProcessedRecord => ({
  id,
  type: 'check_in',
  outcome: { status: 'accepted' },
  ...(fingerprint === undefined ? {} : { fingerprint }),
});
const manualClock = { now: () => TEST_NOW, setTimeout: () => 0, clearTimeout: () => {} };

/**
 * Retention and figures every store keeps (`StoreMaintenance` and the housekeeper over it), run
 * against SQLite and PostgreSQL beside {@link storeContract}.
 */
export function maintenanceContract(name: string, factory: StoreHarnessFactory): void {
  describe(`${name} (maintenance contract)`, () => {
    const cleanups: (() => Promise<void>)[] = [];
    const open = async (): Promise<KyselyStore> => {
      const harness = await factory();
      const store = await harness.open();
      cleanups.push(async () => {
        await store.close();
        await harness.cleanup();
      });
      await store.init({ seedDemo: false, now: TEST_NOW });
      return store;
    };
    afterEach(async () => {
      for (const c of cleanups.splice(0)) await c();
    });

    it('keeps the fingerprint of an idempotency record, and none for a record written without one', async () => {
      const store = await open();
      await store.transaction((tx) => tx.recordProcessed([accepted('a', 'fp-a'), accepted('b')], TEST_NOW));
      const found = await store.transaction((tx) => tx.findProcessed(['a', 'b']));
      expect(found.get('a')?.fingerprint).toBe('fp-a');
      expect(found.get('b')).toEqual(accepted('b'));
    });

    it('sweeps idempotency records in id order, deleting those past the window and keeping recent ones', async () => {
      const store = await open();
      const old = Array.from({ length: 25 }, (_, i) => accepted(`old-${i}`));
      await store.transaction((tx) => tx.recordProcessed(old, TEST_NOW - 8 * DAY_MS));
      await store.transaction((tx) => tx.recordProcessed([accepted('edge')], TEST_NOW - 7 * DAY_MS + 1));
      await store.transaction((tx) => tx.recordProcessed([accepted('new')], TEST_NOW));
      const m = store.maintenance;
      // Ids in order: edge, new, old-0, old-1, old-10 ... old-15 are the first ten.
      const before = TEST_NOW - 7 * DAY_MS;
      expect(await m.sweepProcessed(before, undefined, 10)).toEqual({ deleted: 8, next: 'old-15' });
      expect(await m.sweepProcessed(before, 'old-15', 100)).toEqual({ deleted: 17, next: undefined });
      expect((await m.rowCounts()).processed_messages).toBe(2);

      await store.transaction((tx) => tx.recordProcessed(old, TEST_NOW - 8 * DAY_MS));
      const housekeeper = new Housekeeper({
        maintenance: m,
        logger: silent,
        clock: manualClock,
        chunkRows: 4,
      });
      const report = await housekeeper.runOnce(TEST_NOW);
      expect(report.deleted.processed_messages).toBe(25);
      expect(report.rows.processed_messages).toBe(2);
      const left = await store.transaction((tx) => tx.findProcessed(['old-0', 'old-24', 'edge', 'new']));
      expect([...left.keys()].sort()).toEqual(['edge', 'new']);
    });

    it('deletes expired sessions and keeps live ones', async () => {
      const store = await open();
      await store.ensureStaff({ username: 'ada', passwordHash: 'scrypt$1$00$00', createdAt: TEST_NOW });
      const session = (c: string, expiresAt: number) => ({
        tokenHash: c.repeat(64),
        username: 'ada',
        createdAt: TEST_NOW - DAY_MS,
        expiresAt,
      });
      await store.createSession(session('a', TEST_NOW - 1));
      await store.createSession(session('b', TEST_NOW));
      await store.createSession(session('c', TEST_NOW + 1));
      const housekeeper = new Housekeeper({
        maintenance: store.maintenance,
        logger: silent,
        clock: manualClock,
      });
      expect((await housekeeper.runOnce(TEST_NOW)).deleted.staff_sessions).toBe(2);
      expect(await store.getSession('a'.repeat(64))).toBeUndefined();
      expect(await store.getSession('c'.repeat(64))).toEqual({ ...session('c', TEST_NOW + 1), role: 'desk' });
    });

    it('deletes desk stats not updated within the window, then the oldest beyond the row cap', async () => {
      const store = await open();
      const rows = [
        { clientId: 'stale', receivedAt: TEST_NOW - 25 * 3_600_000, stats: {} },
        ...Array.from({ length: 5 }, (_, i) => ({
          clientId: `desk-${i}`,
          receivedAt: TEST_NOW - 5 + i,
          stats: {},
        })),
      ];
      await store.transaction((tx) => tx.upsertClientStats(rows));
      const housekeeper = new Housekeeper({
        maintenance: store.maintenance,
        logger: silent,
        clock: manualClock,
        retention: { maxClientStatsRows: 3 },
        chunkRows: 1,
      });
      const report = await housekeeper.runOnce(TEST_NOW);
      expect(report.deleted.client_stats).toBe(3);
      expect((await store.listClientStats()).map((r) => r.clientId)).toEqual(['desk-2', 'desk-3', 'desk-4']);
      expect(report.rows.client_stats).toBe(3);
    });

    it('counts the rows of each table and reports the database size', async () => {
      const store = await open();
      await store.transaction((tx) => tx.insertMembers([member('m_a', 1), member('m_b', 2)]));
      await store.transaction((tx) => tx.recordProcessed([accepted('x')], TEST_NOW));
      expect(await store.maintenance.rowCounts()).toEqual({
        processed_messages: 1,
        staff_sessions: 0,
        client_stats: 0,
        members: 2,
        visits: 0,
        event_log: 0,
      });
      expect((await store.maintenance.fileFigures()).databaseBytes).toBeGreaterThan(0);
    });
  });
}
