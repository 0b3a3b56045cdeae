/** The tables whose row counts `/metrics` shows. */
export const COUNTED_TABLES = [
  'processed_messages',
  'staff_sessions',
  'client_stats',
  'members',
  'visits',
  'event_log',
] as const;
export type CountedTable = (typeof COUNTED_TABLES)[number];
export type StoreRowCounts = Record<CountedTable, number>;

export interface ProcessedSweep {
  deleted: number;
  next: string | undefined;
}

/** Sizes on disk and durability settings, where the store has them. */
export interface StoreFileFigures {
  /** The database: the SQLite main file, or `pg_database_size` on PostgreSQL. */
  databaseBytes: number;
  /** SQLite's write-ahead log file (0 right after a truncating checkpoint). */
  walBytes?: number;
  /** SQLite `PRAGMA synchronous` of the writer's connection: 2 = FULL (an ack survives power loss). */
  synchronous?: number;
}

/**
 * The retention side of a store, run by the housekeeper through the store's own connection
 * (one writer on SQLite), each delete bounded by `limit` rows so no writer waits long.
 * A store capability: `Store.maintenance`, absent on stores without it.
 */
export interface StoreMaintenance {
  /**
   * One step of a sweep over the idempotency records in id order: of the next `limit` records after
   * id `after` (from the first when undefined), deletes those processed before `before`. Returns how
   * many it deleted and the id to go on after, undefined once the sweep has reached the end. A sweep
   * walks the primary key, so no index on `processed_at` slows every insert on the hot path.
   */
  sweepProcessed(before: number, after: string | undefined, limit: number): Promise<ProcessedSweep>;
  /** Deletes up to `limit` sessions that expired at or before `now`. */
  deleteExpiredSessions(now: number, limit: number): Promise<number>;
  /** Deletes up to `limit` desk stats not updated since `before`, else the oldest beyond `maxRows`. */
  deleteClientStats(before: number, maxRows: number, limit: number): Promise<number>;
  /** Deletes up to `limit` logged events outside the history window at `now` (too many, or too old). */
  trimEvents(now: number, limit: number): Promise<number>;
  /** Exact row counts (SQLite counts on its checkpoint worker's connection, off the event loop). */
  rowCounts(): Promise<StoreRowCounts>;
  fileFigures(): Promise<StoreFileFigures>;
  /** Copies the whole log into the database and cuts it to zero bytes (SQLite WAL); a no-op elsewhere. */
  truncateLog(): Promise<void>;
}
