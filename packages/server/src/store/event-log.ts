import type { ServerEvent } from '@av-gym/protocol';
import type { Kysely, Transaction } from 'kysely';
import { chunkRows } from './records.js';
import type { Database } from './schema.js';

/**
 * How much event history a store keeps, on disk and for resume: at most `maxEvents` events (the
 * newest) and none older than `maxAgeMs`. Defaults: 10,000 events, 24 hours (EVENT_HISTORY_SIZE,
 * EVENT_HISTORY_MAX_AGE_HOURS).
 */
export interface EventLogWindow {
  maxEvents: number;
  maxAgeMs: number;
}

export const DEFAULT_EVENT_LOG_WINDOW: EventLogWindow = {
  maxEvents: 10_000,
  maxAgeMs: 24 * 3_600_000,
};

/** Most events one read returns. */
export const EVENT_LOG_READ_LIMIT = 10_000;

/** The row of one event; `at` stays out (the reader fills it from `created_at`). */
export function eventRow(event: ServerEvent, at: number): { seq: number; event: string; created_at: number } {
  return { seq: event.seq, event: JSON.stringify(event), created_at: at };
}

/** Events between two trims of the log by count, done inline by the transaction that crosses a multiple. */
export const TRIM_EVERY_EVENTS = 1_000;

/**
 * The seq up to which the log is cut when these events cross a multiple of
 * {@link TRIM_EVERY_EVENTS}, keeping the newest `maxEvents`; else undefined. Inline, the count
 * bound holds however fast events come (a timer would fall behind under load), at the cost of one
 * range delete per thousand events.
 */
export function countTrimBoundary(events: readonly ServerEvent[], maxEvents: number): number | undefined {
  const first = events[0]?.seq;
  const last = events[events.length - 1]?.seq;
  if (first === undefined || last === undefined) return undefined;
  if (Math.floor(last / TRIM_EVERY_EVENTS) === Math.floor((first - 1) / TRIM_EVERY_EVENTS)) return undefined;
  const upTo = last - maxEvents;
  return upTo > 0 ? upTo : undefined;
}

/** Multi-row insert inside the committing transaction (any dialect), and the count trim when due. */
export async function appendEvents(
  trx: Transaction<Database>,
  events: readonly ServerEvent[],
  at: number,
  maxEvents: number,
): Promise<void> {
  for (const part of chunkRows(events, 3)) {
    await trx
      .insertInto('event_log')
      .values(part.map((e) => eventRow(e, at)))
      .execute();
  }
  const upTo = countTrimBoundary(events, maxEvents);
  if (upTo !== undefined) await trx.deleteFrom('event_log').where('seq', '<=', upTo).execute();
}

function fromRow(row: { event: string; created_at: number | string }): ServerEvent {
  const e = JSON.parse(row.event) as ServerEvent;
  e.at ??= Number(row.created_at);
  return e;
}

/** The logged events with seqs in `[fromSeq, toSeq]`, in order (at most {@link EVENT_LOG_READ_LIMIT}). */
export async function readEvents(
  db: Kysely<Database>,
  fromSeq: number,
  toSeq: number,
): Promise<ServerEvent[]> {
  const rows = await db
    .selectFrom('event_log')
    .select(['event', 'created_at'])
    .where('seq', '>=', fromSeq)
    .where('seq', '<=', toSeq)
    .orderBy('seq')
    .limit(EVENT_LOG_READ_LIMIT)
    .execute();
  return rows.map(fromRow);
}

/**
 * The newest gap-free run of logged events, at most `limit` and none logged before `sinceAt`, in
 * seq order: what a node that starts puts in its resume history.
 */
export async function recentEvents(
  db: Kysely<Database>,
  limit: number,
  sinceAt: number,
): Promise<ServerEvent[]> {
  const rows = await db
    .selectFrom('event_log')
    .select(['seq', 'event', 'created_at'])
    .where('created_at', '>=', sinceAt)
    .orderBy('seq', 'desc')
    .limit(Math.max(0, Math.min(limit, EVENT_LOG_READ_LIMIT)))
    .execute();
  const run: ServerEvent[] = [];
  let expected: number | undefined;
  for (const row of rows) {
    const seq = Number(row.seq);
    if (expected !== undefined && seq !== expected) break;
    run.push(fromRow(row));
    expected = seq - 1;
  }
  return run.reverse();
}

/**
 * Deletes at most `limit` logged events that are outside the window: seqs up to `newestSeq -
 * maxEvents`, or logged before `now - maxAgeMs`. Rows go in seq order with a rising clock, so
 * the old ones are the lowest seqs: the age cut is found by walking from the oldest, and costs
 * what it deletes. Returns how many went.
 */
export async function trimEvents(
  db: Kysely<Database>,
  window: EventLogWindow,
  now: number,
  limit: number,
): Promise<number> {
  const newest = await db
    .selectFrom('event_log')
    .select((eb) => eb.fn.max('seq').as('seq'))
    .executeTakeFirst();
  if (newest?.seq === null || newest?.seq === undefined) return 0;
  const byCount = Number(newest.seq) - window.maxEvents;
  // The first seq still young enough (rows before it are older, give or take a clock step back).
  const young = await db
    .selectFrom('event_log')
    .select('seq')
    .where('created_at', '>=', now - window.maxAgeMs)
    .orderBy('seq')
    .limit(1)
    .executeTakeFirst();
  const byAge = young ? Number(young.seq) - 1 : Number(newest.seq);
  const upTo = Math.max(byCount, byAge);
  const doomed = db
    .selectFrom('event_log')
    .select('seq')
    .where('seq', '<=', upTo)
    .orderBy('seq')
    .limit(limit);
  const result = await db.deleteFrom('event_log').where('seq', 'in', doomed).executeTakeFirst();
  return Number(result.numDeletedRows);
}
