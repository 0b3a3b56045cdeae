import { type Kysely, sql } from 'kysely';
import { DEFAULT_EVENT_LOG_WINDOW, type EventLogWindow, trimEvents } from './event-log.js';
import type { Database } from './schema.js';
import type {
  ProcessedSweep,
  StoreFileFigures,
  StoreMaintenance,
  StoreRowCounts,
} from './store-maintenance.js';

/** What a dialect does its own way; the rest is plain Kysely on SQLite and PostgreSQL alike. */
export interface MaintenanceHooks {
  rowCounts?(): Promise<StoreRowCounts>;
  fileFigures?(): Promise<StoreFileFigures>;
  truncateLog?(): Promise<void>;
}

/**
 * {@link StoreMaintenance} in plain Kysely. Each delete is one statement over at most `limit`
 * rows (a primary-key range, or `DELETE ... WHERE key IN (SELECT key ... LIMIT n)`: PostgreSQL
 * has no `DELETE ... LIMIT`), so on SQLite it holds the one writer for a few milliseconds.
 */
export class KyselyMaintenance implements StoreMaintenance {
  readonly #db: Kysely<Database>;
  readonly #hooks: MaintenanceHooks;
  readonly #eventLog: EventLogWindow;

  constructor(db: Kysely<Database>, hooks: MaintenanceHooks = {}, eventLog = DEFAULT_EVENT_LOG_WINDOW) {
    this.#db = db;
    this.#hooks = hooks;
    this.#eventLog = eventLog;
  }

  trimEvents(now: number, limit: number): Promise<number> {
    return trimEvents(this.#db, this.#eventLog, now, limit);
  }

  async sweepProcessed(before: number, after: string | undefined, limit: number): Promise<ProcessedSweep> {
    // The last id of this step's window (a walk of `limit` primary-key entries), then one range delete.
    const last = await this.#db
      .selectFrom('processed_messages')
      .select('id')
      .$if(after !== undefined, (q) => q.where('id', '>', after as string))
      .orderBy('id')
      .offset(Math.max(0, limit - 1))
      .limit(1)
      .executeTakeFirst();
    let remove = this.#db.deleteFrom('processed_messages').where('processed_at', '<', before);
    if (after !== undefined) remove = remove.where('id', '>', after);
    if (last) remove = remove.where('id', '<=', last.id);
    const result = await remove.executeTakeFirst();
    return { deleted: Number(result.numDeletedRows), next: last?.id };
  }

  async deleteExpiredSessions(now: number, limit: number): Promise<number> {
    const expired = this.#db
      .selectFrom('staff_sessions')
      .select('token_hash')
      .where('expires_at', '<=', now)
      .limit(limit);
    const result = await this.#db
      .deleteFrom('staff_sessions')
      .where('token_hash', 'in', expired)
      .executeTakeFirst();
    return Number(result.numDeletedRows);
  }

  async deleteClientStats(before: number, maxRows: number, limit: number): Promise<number> {
    const stale = this.#db
      .selectFrom('client_stats')
      .select('client_id')
      .where('received_at', '<', before)
      .limit(limit);
    const result = await this.#db
      .deleteFrom('client_stats')
      .where('client_id', 'in', stale)
      .executeTakeFirst();
    const deleted = Number(result.numDeletedRows);
    if (deleted > 0) return deleted;
    const { n } = await this.#db
      .selectFrom('client_stats')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    const excess = Math.min(limit, Number(n) - maxRows);
    if (excess <= 0) return 0;
    const oldest = this.#db
      .selectFrom('client_stats')
      .select('client_id')
      .orderBy('received_at')
      .orderBy('client_id')
      .limit(excess);
    const capped = await this.#db
      .deleteFrom('client_stats')
      .where('client_id', 'in', oldest)
      .executeTakeFirst();
    return Number(capped.numDeletedRows);
  }

  rowCounts(): Promise<StoreRowCounts> {
    return this.#hooks.rowCounts?.() ?? countRows(this.#db);
  }

  fileFigures(): Promise<StoreFileFigures> {
    return this.#hooks.fileFigures?.() ?? Promise.resolve({ databaseBytes: 0 });
  }

  async truncateLog(): Promise<void> {
    await this.#hooks.truncateLog?.();
  }
}

/** Exact row counts in one statement of scalar subqueries (SQLite and PostgreSQL alike). */
export async function countRows(db: Kysely<Database>): Promise<StoreRowCounts> {
  const row = await sql<Record<keyof StoreRowCounts, number | string>>`select
    (select count(*) from processed_messages) as processed_messages,
    (select count(*) from staff_sessions) as staff_sessions,
    (select count(*) from client_stats) as client_stats,
    (select count(*) from members) as members,
    (select count(*) from visits) as visits,
    (select count(*) from event_log) as event_log`.execute(db);
  const counts = row.rows[0];
  if (!counts) throw new Error('row counts: no row');
  return {
    processed_messages: Number(counts.processed_messages),
    staff_sessions: Number(counts.staff_sessions),
    client_stats: Number(counts.client_stats),
    members: Number(counts.members),
    visits: Number(counts.visits),
    event_log: Number(counts.event_log),
  };
}

/** PostgreSQL's figure: the size of the current database. */
export async function postgresFileFigures(db: Kysely<Database>): Promise<StoreFileFigures> {
  const result = await sql<{
    bytes: string | number;
  }>`select pg_database_size(current_database()) as bytes`.execute(db);
  return { databaseBytes: Number(result.rows[0]?.bytes ?? 0) };
}
