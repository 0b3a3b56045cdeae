import fs from 'node:fs';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { Kysely, type SqliteDatabase, sql } from 'kysely';
import type { Logger } from 'pino';
import type { EventLogWindow } from '../event-log.js';
import { KyselyStore } from '../kysely-store.js';
import type { Database } from '../schema.js';
import { cachingDatabase } from './caching-database.js';
import { ImmediateSqliteDialect } from './immediate-sqlite-dialect.js';
import { sqliteMaintenanceHooks } from './sqlite-maintenance.js';
import { prepareStatements, type SqliteStatements, SqliteStoreTx } from './sqlite-store-tx.js';
import { WalCheckpointer } from './wal-checkpointer.js';
import { SqliteWriteCache } from './write-cache.js';

/** `journal_size_limit`: the WAL file left after a reset (the housekeeper's TRUNCATE leaves 0). */
const WAL_SIZE_LIMIT_BYTES = 64 * 1024 * 1024;

export interface SqliteStoreOptions {
  /** Path of the database file (its folder is created if missing). */
  file: string;
  logger: Logger;
  /** Maximum occupancy of the gym. Default 120. */
  capacity?: number;
  /** The event history kept (default 10,000 events, 24 h). */
  eventLog?: EventLogWindow;
  /**
   * Run the consumer's per-message statements as prepared better-sqlite3 statements (default
   * true); false keeps the generic Kysely statements PostgreSQL uses (tests run both).
   */
  nativeStatements?: boolean;
  /**
   * Checkpoint the WAL from a worker thread this often (ms), off the writer's path. Default 1000:
   * a hot page rewritten many times in a second is copied back once (at 250 ms the checkpoints took
   * CPU the writer then lacked: ingest ~8% slower on 2 cores). 0 leaves checkpoints to SQLite's
   * automatic ones on COMMIT.
   */
  checkpointIntervalMs?: number;
  /** How long a writer waits for a lock held by another process. Default 5000. */
  busyTimeoutMs?: number;
}

/**
 * Opens (or creates) the SQLite store: WAL, `synchronous=FULL`, a busy timeout, cached
 * prepared statements. Call `init()` before use.
 * @example
 * const store = createSqliteStore({ file: 'data/av-gym.sqlite', logger });
 * await store.init({ seedDemo: true });
 */
export function createSqliteStore(options: SqliteStoreOptions): KyselyStore {
  fs.mkdirSync(path.dirname(path.resolve(options.file)), { recursive: true });
  const raw = new BetterSqlite3(options.file);
  raw.pragma('journal_mode = WAL');
  // FULL: every COMMIT (one per group of calls) fsyncs the WAL, so an ack survives an OS crash or power
  // loss; NORMAL syncs only at checkpoints and may lose the last acked commits.
  raw.pragma('synchronous = FULL');
  // A WAL that was reset is cut back to this size instead of keeping its high-water mark.
  raw.pragma(`journal_size_limit = ${WAL_SIZE_LIMIT_BYTES}`);
  raw.pragma(`busy_timeout = ${Math.max(0, Math.floor(options.busyTimeoutMs ?? 5_000))}`);
  raw.pragma('temp_store = MEMORY');
  const checkpointIntervalMs = Math.max(0, Math.floor(options.checkpointIntervalMs ?? 1000));
  let checkpointer: WalCheckpointer | undefined;
  if (checkpointIntervalMs > 0) {
    raw.pragma('wal_autocheckpoint = 0');
    checkpointer = new WalCheckpointer({
      file: options.file,
      intervalMs: checkpointIntervalMs,
      logger: options.logger,
      onCrash: () => {
        if (raw.open) raw.pragma('wal_autocheckpoint = 1000');
      },
    });
  }
  const db = new Kysely<Database>({
    dialect: new ImmediateSqliteDialect({ database: cachingDatabase(raw) as unknown as SqliteDatabase }),
  });
  let statements: SqliteStatements | undefined;
  const cache = new SqliteWriteCache();
  return new KyselyStore(db, {
    logger: options.logger,
    ...(options.capacity === undefined ? {} : { capacity: options.capacity }),
    ...(options.eventLog === undefined ? {} : { eventLog: options.eventLog }),
    migrations: { keyedTable: (builder) => builder.modifyEnd(sql`without rowid`), eventSeqType: 'integer' },
    onClubsChanged: () => cache.forgetClubs(),
    maintenanceHooks: sqliteMaintenanceHooks({ file: options.file, raw, db, checkpointer }),
    ...(options.nativeStatements === false
      ? {}
      : {
          // Prepared on first use: the tables exist only after init().
          createTx: (trx, maxEvents) => {
            statements ??= prepareStatements(raw);
            return new SqliteStoreTx(trx, statements, cache, maxEvents);
          },
        }),
    onClose: async () => {
      await checkpointer?.stop();
      if (raw.open) raw.close();
    },
  });
}
