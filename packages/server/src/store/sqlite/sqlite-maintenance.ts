import fs from 'node:fs/promises';
import type BetterSqlite3 from 'better-sqlite3';
import { type Kysely, sql } from 'kysely';
import { countRows, type MaintenanceHooks } from '../kysely-maintenance.js';
import type { Database } from '../schema.js';
import { COUNTED_TABLES, type StoreRowCounts } from '../store-maintenance.js';
import type { WalCheckpointer } from './wal-checkpointer.js';

async function sizeOf(file: string): Promise<number> {
  try {
    return (await fs.stat(file)).size;
  } catch {
    return 0;
  }
}

/**
 * SQLite's own maintenance: counts and the truncating checkpoint run on the checkpoint worker's
 * connection while it lives (a million-row `count(*)` would otherwise stall the event loop,
 * better-sqlite3 being synchronous), else on the writer's connection through Kysely (queued
 * behind the consumer's transactions like any statement).
 */
export function sqliteMaintenanceHooks(options: {
  file: string;
  raw: BetterSqlite3.Database;
  db: Kysely<Database>;
  checkpointer: WalCheckpointer | undefined;
}): MaintenanceHooks {
  const { file, raw, db, checkpointer } = options;
  // A crashed worker leaves the writer checkpointing on its own; maintenance then runs there too.
  const worker = () => (checkpointer?.alive ? checkpointer : undefined);
  return {
    async rowCounts() {
      const w = worker();
      return w ? ((await w.countRows(COUNTED_TABLES)) as StoreRowCounts) : countRows(db);
    },
    async fileFigures() {
      const [databaseBytes, walBytes] = await Promise.all([sizeOf(file), sizeOf(`${file}-wal`)]);
      const synchronous = raw.open ? Number(raw.pragma('synchronous', { simple: true })) : 0;
      return { databaseBytes, walBytes, synchronous };
    },
    async truncateLog() {
      const w = worker();
      if (w) await w.truncate();
      else await sql`pragma wal_checkpoint(TRUNCATE)`.execute(db);
    },
  };
}
