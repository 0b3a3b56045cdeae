import type { ServerEvent } from '@av-gym/protocol';
import { type Kysely, sql, type Transaction } from 'kysely';
import { insertAudit } from './audit-queries.js';
import type { AuditRecord } from './audit-records.js';
import { clubContext, clubOccupancyCounts } from './club-queries.js';
import { appendEvents, DEFAULT_EVENT_LOG_WINDOW } from './event-log.js';
import {
  chunkRows,
  type MemberRecord,
  memberFromRow,
  memberToRow,
  type ProcessedRecord,
  processedFromRow,
  utcMidnight,
  type VisitRecord,
  visitFromRow,
  visitToRow,
} from './records.js';
import { type Database, META_KEYS } from './schema.js';
import type { ClientStatsRow } from './store.js';
import type { ClubContext, ClubCounts, DialectTx } from './write-store.js';

const MEMBER_COLUMNS = 19;
const VISIT_COLUMNS = 9;
const IN_LIST_SIZE = 900;

/**
 * {@link DialectTx} in plain Kysely: the same code serves SQLite (with `nativeStatements: false`)
 * and PostgreSQL. It keeps nothing across transactions, so its lifecycle hooks do nothing.
 */
export class KyselyStoreTx implements DialectTx {
  readonly #trx: Transaction<Database>;
  readonly #maxEvents: number;
  #savepoints = 0;

  /** @param maxEvents the event log's count bound (default 10,000). */
  constructor(trx: Transaction<Database>, maxEvents = DEFAULT_EVENT_LOG_WINDOW.maxEvents) {
    this.#trx = trx;
    this.#maxEvents = maxEvents;
  }

  committed(): void {}

  abandoned(): void {}

  async savepoint<T>(fn: () => Promise<T>): Promise<T> {
    const name = sql.raw(`sp_${++this.#savepoints}`);
    await sql`savepoint ${name}`.execute(this.#trx);
    try {
      const result = await fn();
      await sql`release savepoint ${name}`.execute(this.#trx);
      return result;
    } catch (error) {
      await sql`rollback to savepoint ${name}`.execute(this.#trx);
      await sql`release savepoint ${name}`.execute(this.#trx);
      throw error;
    }
  }

  async findProcessed(ids: readonly string[]): Promise<Map<string, ProcessedRecord>> {
    const out = new Map<string, ProcessedRecord>();
    for (const part of chunkRows(ids, 1, IN_LIST_SIZE)) {
      const rows = await this.#trx
        .selectFrom('processed_messages')
        .select(['id', 'type', 'outcome', 'fingerprint'])
        .where('id', 'in', part)
        .execute();
      for (const r of rows) out.set(r.id, processedFromRow(r));
    }
    return out;
  }

  async recordProcessed(rows: readonly ProcessedRecord[], processedAt: number): Promise<void> {
    for (const part of chunkRows(rows, 5)) {
      await this.#trx
        .insertInto('processed_messages')
        .values(
          part.map((r) => ({
            id: r.id,
            type: r.type,
            outcome: JSON.stringify(r.outcome),
            processed_at: processedAt,
            fingerprint: r.fingerprint ?? null,
          })),
        )
        .execute();
    }
  }

  async membersById(ids: readonly string[]): Promise<Map<string, MemberRecord>> {
    const out = new Map<string, MemberRecord>();
    for (const part of chunkRows(ids, 1, IN_LIST_SIZE)) {
      const rows = await this.#trx.selectFrom('members').selectAll().where('id', 'in', part).execute();
      for (const r of rows) out.set(r.id, memberFromRow(r));
    }
    return out;
  }

  takenMembershipNumbers(numbers: readonly string[]): Promise<Set<string>> {
    return takenMembershipNumbers(this.#trx, numbers);
  }

  nextMembershipNumbers(count: number): Promise<string[]> {
    return nextMembershipNumbers(this.#trx, count);
  }

  async insertMembers(rows: readonly MemberRecord[]): Promise<void> {
    for (const part of chunkRows(rows, MEMBER_COLUMNS)) {
      await this.#trx.insertInto('members').values(part.map(memberToRow)).execute();
    }
  }

  async saveMembers(rows: readonly MemberRecord[]): Promise<void> {
    for (const part of chunkRows(rows, MEMBER_COLUMNS)) {
      await this.#trx
        .insertInto('members')
        .values(part.map(memberToRow))
        .onConflict((oc) =>
          oc.column('id').doUpdateSet((eb) => ({
            name: eb.ref('excluded.name'),
            email: eb.ref('excluded.email'),
            phone: eb.ref('excluded.phone'),
            plan: eb.ref('excluded.plan'),
            status: eb.ref('excluded.status'),
            expires_at: eb.ref('excluded.expires_at'),
            notes: eb.ref('excluded.notes'),
            version: eb.ref('excluded.version'),
            updated_at: eb.ref('excluded.updated_at'),
            last_visit_at: eb.ref('excluded.last_visit_at'),
            date_of_birth: eb.ref('excluded.date_of_birth'),
            balance_due_cents: eb.ref('excluded.balance_due_cents'),
            waiver_signed_at: eb.ref('excluded.waiver_signed_at'),
            alert_note: eb.ref('excluded.alert_note'),
            home_club_id: eb.ref('excluded.home_club_id'),
            access_rule: eb.ref('excluded.access_rule'),
          })),
        )
        .execute();
    }
  }

  async setLastVisits(rows: readonly { memberId: string; at: number }[]): Promise<void> {
    for (const part of chunkRows(rows, 2)) {
      // VALUES columns are called column1, column2 on SQLite and PostgreSQL alike; the cast types the
      // parameter for PostgreSQL. Only last_visit_at changes, so no member index is rewritten.
      const values = sql.join(part.map((r) => sql`(${r.memberId}, cast(${r.at} as bigint))`));
      await sql`update members set last_visit_at = v.column2 from (values ${values}) as v where members.id = v.column1`.execute(
        this.#trx,
      );
    }
  }

  async openVisits(memberIds: readonly string[]): Promise<Map<string, VisitRecord>> {
    const out = new Map<string, VisitRecord>();
    for (const part of chunkRows(memberIds, 1, IN_LIST_SIZE)) {
      const rows = await this.#trx
        .selectFrom('visits')
        .selectAll()
        .where('member_id', 'in', part)
        .where('checked_out_at', 'is', null)
        .execute();
      for (const r of rows) out.set(r.member_id, visitFromRow(r));
    }
    return out;
  }

  async insertVisits(rows: readonly VisitRecord[]): Promise<void> {
    for (const part of chunkRows(rows, VISIT_COLUMNS)) {
      await this.#trx.insertInto('visits').values(part.map(visitToRow)).execute();
    }
  }

  async saveVisits(rows: readonly VisitRecord[]): Promise<void> {
    for (const part of chunkRows(rows, VISIT_COLUMNS)) {
      await this.#trx
        .insertInto('visits')
        .values(part.map(visitToRow))
        .onConflict((oc) =>
          oc.column('id').doUpdateSet((eb) => ({ checked_out_at: eb.ref('excluded.checked_out_at') })),
        )
        .execute();
    }
  }

  recordAudit(rows: readonly AuditRecord[]): Promise<void> {
    return insertAudit(this.#trx, rows);
  }

  async upsertClientStats(rows: readonly ClientStatsRow[]): Promise<void> {
    for (const part of chunkRows(rows, 3)) {
      await this.#trx
        .insertInto('client_stats')
        .values(
          part.map((r) => ({
            client_id: r.clientId,
            received_at: r.receivedAt,
            stats: JSON.stringify(r.stats),
          })),
        )
        .onConflict((oc) =>
          oc.column('client_id').doUpdateSet((eb) => ({
            received_at: eb.ref('excluded.received_at'),
            stats: eb.ref('excluded.stats'),
          })),
        )
        .execute();
    }
  }

  clubContext(deskIds: readonly string[]): Promise<ClubContext> {
    return clubContext(this.#trx, deskIds);
  }

  clubOccupancyCounts(now: number, clubIds: readonly string[]): Promise<Map<string, ClubCounts>> {
    return clubOccupancyCounts(this.#trx, now, clubIds);
  }

  recordEvents(events: readonly ServerEvent[], at: number): Promise<void> {
    return appendEvents(this.#trx, events, at, this.#maxEvents);
  }

  async reserveEventSeqs(count: number): Promise<number> {
    const last = await bumpMeta(this.#trx, META_KEYS.eventSeq, count);
    return last - count + 1;
  }

  occupancyCounts(now: number): Promise<{ current: number; todayTotal: number }> {
    return occupancyCounts(this.#trx, now);
  }
}

/** `UPDATE ... SET value = value + n RETURNING value`: atomic, and a row lock on PostgreSQL. */
async function bumpMeta(db: Kysely<Database>, key: string, by: number): Promise<number> {
  const row = await db
    .updateTable('meta')
    .set((eb) => ({ value: eb('value', '+', by) }))
    .where('key', '=', key)
    .returning('value')
    .executeTakeFirstOrThrow();
  return Number(row.value);
}

/** {@link DialectTx.takenMembershipNumbers} for any dialect (SQLite's native transaction uses it too). */
export async function takenMembershipNumbers(
  db: Kysely<Database>,
  numbers: readonly string[],
): Promise<Set<string>> {
  const out = new Set<string>();
  for (const part of chunkRows(numbers, 1, IN_LIST_SIZE)) {
    const rows = await db
      .selectFrom('members')
      .select('membership_number')
      .where('membership_number', 'in', part)
      .execute();
    for (const r of rows) out.add(r.membership_number);
  }
  return out;
}

/** {@link DialectTx.nextMembershipNumbers} for any dialect (SQLite's native transaction uses it too). */
export async function nextMembershipNumbers(db: Kysely<Database>, count: number): Promise<string[]> {
  if (count <= 0) return [];
  const last = await bumpMeta(db, META_KEYS.memberNumberSeq, count);
  return Array.from({ length: count }, (_, i) => String(last - count + 1 + i));
}

/** Shared by the transactions and the read side: two index-only counts. */
export async function occupancyCounts(
  db: Kysely<Database>,
  now: number,
): Promise<{ current: number; todayTotal: number }> {
  const open = await db
    .selectFrom('visits')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('checked_out_at', 'is', null)
    .executeTakeFirstOrThrow();
  const today = await db
    .selectFrom('visits')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('checked_in_at', '>=', utcMidnight(now))
    .executeTakeFirstOrThrow();
  return { current: Number(open.n), todayTotal: Number(today.n) };
}
