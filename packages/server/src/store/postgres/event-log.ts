import type { ServerEvent } from '@av-gym/protocol';
import type { Kysely, Transaction } from 'kysely';
import { chunkRows } from '../records.js';
import type { Database } from '../schema.js';

/** Events kept per commit on PostgreSQL, so a node that dies between COMMIT and publish loses none. */
export interface EventLogTable {
  seq: number;
  /** JSON of the {@link ServerEvent}. */
  event: string;
  created_at: number;
}

export type PostgresDatabase = Database & { event_log: EventLogTable };

/** Events older than this many seqs behind the newest are trimmed. */
export const EVENT_LOG_KEEP = 100_000;

/** Creates the table if missing (run under the init lock). */
export async function createEventLog(db: Kysely<PostgresDatabase>): Promise<void> {
  await db.schema
    .createTable('event_log')
    .ifNotExists()
    .addColumn('seq', 'bigint', (c) => c.primaryKey())
    .addColumn('event', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
}

/** Multi-row insert inside the committing transaction; trims the log about once per 1000 events. */
export async function appendEvents(
  trx: Transaction<PostgresDatabase>,
  events: readonly ServerEvent[],
  at: number,
): Promise<void> {
  for (const part of chunkRows(events, 3)) {
    await trx
      .insertInto('event_log')
      .values(part.map((e) => ({ seq: e.seq, event: JSON.stringify(e), created_at: at })))
      .execute();
  }
  const newest = Math.max(...events.map((e) => e.seq));
  if (events.some((e) => e.seq % 1000 === 0)) {
    await trx
      .deleteFrom('event_log')
      .where('seq', '<=', newest - EVENT_LOG_KEEP)
      .execute();
  }
}

/** The logged events with seqs in `[fromSeq, toSeq]`, in order (at most 10000). */
export async function readEvents(
  db: Kysely<PostgresDatabase>,
  fromSeq: number,
  toSeq: number,
): Promise<ServerEvent[]> {
  const rows = await db
    .selectFrom('event_log')
    .select(['event', 'created_at'])
    .where('seq', '>=', fromSeq)
    .where('seq', '<=', toSeq)
    .orderBy('seq')
    .limit(10_000)
    .execute();
  return rows.map((r) => {
    const e = JSON.parse(r.event) as ServerEvent;
    e.at ??= Number(r.created_at);
    return e;
  });
}
