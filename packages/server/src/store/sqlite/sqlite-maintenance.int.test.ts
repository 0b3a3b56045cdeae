import fs from 'node:fs';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { openTempStore, TEST_NOW, type TempStore } from '../../../test/support/temp-sqlite-store.js';
import { Housekeeper } from '../housekeeping.js';
import type { ProcessedRecord } from '../records.js';

const silent = pino({ level: 'silent' });
const clock = { now: () => TEST_NOW, setTimeout: () => 0, clearTimeout: () => {} };
const records = (prefix: string, n: number): ProcessedRecord[] =>
  Array.from({ length: n }, (_, i) => ({
    id: `${prefix}-${i}`,
    type: 'client_stats',
    outcome: { status: 'accepted', info: { padding: 'x'.repeat(200) } },
    fingerprint: 'f'.repeat(16),
  }));

describe.each([
  ['with the checkpoint worker', {}],
  ['without it (checkpoints on the writer)', { checkpointIntervalMs: 0 }],
] as const)('SQLite maintenance %s', (_name, options) => {
  let t: TempStore | undefined;
  afterEach(async () => {
    await t?.cleanup();
    t = undefined;
  });

  it('runs the writer with synchronous=FULL and a housekeeping pass cuts the WAL to zero bytes', async () => {
    t = await openTempStore(options);
    for (let k = 0; k < 5; k++)
      await t.store.transaction((tx) => tx.recordProcessed(records(`r${k}`, 1_000), TEST_NOW));
    const before = await t.store.maintenance.fileFigures();
    expect(before.synchronous).toBe(2);
    expect(before.walBytes).toBeGreaterThan(500_000);
    expect(fs.statSync(`${t.file}-wal`).size).toBe(before.walBytes);

    const report = await new Housekeeper({
      maintenance: t.store.maintenance,
      logger: silent,
      clock,
    }).runOnce();
    expect(report.rows.processed_messages).toBe(5_000);
    expect(fs.statSync(`${t.file}-wal`).size).toBe(0);
    const after = await t.store.maintenance.fileFigures();
    expect(after.walBytes).toBe(0);
    expect(after.databaseBytes).toBeGreaterThan(1_000_000);
    // Still a working store after the truncation.
    await t.store.transaction((tx) => tx.recordProcessed(records('late', 1), TEST_NOW));
    expect((await t.store.maintenance.rowCounts()).processed_messages).toBe(5_001);
  });
});
