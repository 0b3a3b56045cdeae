import type BetterSqlite3 from 'better-sqlite3';
import type { Transaction } from 'kysely';
import { KyselyStoreTx } from '../kysely-store-tx.js';
import {
  type MemberRecord,
  memberFromRow,
  memberToRow,
  type ProcessedRecord,
  type StoredOutcome,
  type VisitRecord,
  visitFromRow,
  visitToRow,
} from '../records.js';
import type { Database, MembersTable, VisitsTable } from '../schema.js';
import type { ClientStatsRow } from '../store.js';

/** The hot statements, prepared once per connection. */
export interface SqliteStatements {
  findProcessed: BetterSqlite3.Statement<[string], { id: string; type: string; outcome: string }>;
  recordProcessed: BetterSqlite3.Statement<[string, string, string, number]>;
  memberById: BetterSqlite3.Statement<[string], MembersTable>;
  insertMember: BetterSqlite3.Statement<[MembersTable]>;
  saveMember: BetterSqlite3.Statement<unknown[]>;
  setLastVisit: BetterSqlite3.Statement<[number, string]>;
  openVisit: BetterSqlite3.Statement<[string], VisitsTable>;
  insertVisit: BetterSqlite3.Statement<[VisitsTable]>;
  closeVisit: BetterSqlite3.Statement<[number | null, string]>;
  upsertClientStats: BetterSqlite3.Statement<[string, number, string]>;
}

export function prepareStatements(db: BetterSqlite3.Database): SqliteStatements {
  return {
    findProcessed: db.prepare('select id, type, outcome from processed_messages where id = ?'),
    recordProcessed: db.prepare(
      'insert into processed_messages (id, type, outcome, processed_at) values (?, ?, ?, ?)',
    ),
    memberById: db.prepare('select * from members where id = ?'),
    insertMember: db.prepare(
      `insert into members (id, membership_number, name, email, phone, plan, status, expires_at, notes, version,
       created_at, updated_at, last_visit_at) values (@id, @membership_number, @name, @email, @phone, @plan,
       @status, @expires_at, @notes, @version, @created_at, @updated_at, @last_visit_at)`,
    ),
    saveMember: db.prepare(
      `update members set name = ?, email = ?, phone = ?, plan = ?, status = ?, expires_at = ?, notes = ?,
       version = ?, updated_at = ?, last_visit_at = ? where id = ?`,
    ),
    setLastVisit: db.prepare('update members set last_visit_at = ? where id = ?'),
    openVisit: db.prepare('select * from visits where member_id = ? and checked_out_at is null'),
    insertVisit: db.prepare(
      `insert into visits (id, member_id, desk_id, checked_in_at, checked_out_at)
       values (@id, @member_id, @desk_id, @checked_in_at, @checked_out_at)`,
    ),
    closeVisit: db.prepare('update visits set checked_out_at = ? where id = ?'),
    upsertClientStats: db.prepare(
      `insert into client_stats (client_id, received_at, stats) values (?, ?, ?)
       on conflict (client_id) do update set received_at = excluded.received_at, stats = excluded.stats`,
    ),
  };
}

/**
 * SQLite's fast path: the per-message work of a batch runs as synchronous prepared
 * single-row statements on the transaction's own connection (with better-sqlite3 these beat
 * IN lists and multi-row SQL, which Kysely recompiles on every call). Everything else, and
 * the PostgreSQL store, uses the generic {@link KyselyStoreTx}.
 */
export class SqliteStoreTx extends KyselyStoreTx {
  readonly #s: SqliteStatements;

  constructor(trx: Transaction<Database>, statements: SqliteStatements) {
    super(trx);
    this.#s = statements;
  }

  override async findProcessed(ids: readonly string[]): Promise<Map<string, ProcessedRecord>> {
    const out = new Map<string, ProcessedRecord>();
    for (const id of ids) {
      const row = this.#s.findProcessed.get(id);
      if (row) out.set(id, { id, type: row.type, outcome: JSON.parse(row.outcome) as StoredOutcome });
    }
    return out;
  }

  override async recordProcessed(rows: readonly ProcessedRecord[], processedAt: number): Promise<void> {
    for (const r of rows) this.#s.recordProcessed.run(r.id, r.type, JSON.stringify(r.outcome), processedAt);
  }

  override async membersById(ids: readonly string[]): Promise<Map<string, MemberRecord>> {
    const out = new Map<string, MemberRecord>();
    for (const id of ids) {
      const row = this.#s.memberById.get(id);
      if (row) out.set(id, memberFromRow(row));
    }
    return out;
  }

  override async insertMembers(rows: readonly MemberRecord[]): Promise<void> {
    for (const m of rows) this.#s.insertMember.run(memberToRow(m));
  }

  override async saveMembers(rows: readonly MemberRecord[]): Promise<void> {
    for (const m of rows) {
      this.#s.saveMember.run(
        m.name,
        m.email,
        m.phone,
        m.plan,
        m.status,
        m.expiresAt,
        m.notes,
        m.version,
        m.updatedAt,
        m.lastVisitAt,
        m.id,
      );
    }
  }

  override async setLastVisits(rows: readonly { memberId: string; at: number }[]): Promise<void> {
    for (const r of rows) this.#s.setLastVisit.run(r.at, r.memberId);
  }

  override async openVisits(memberIds: readonly string[]): Promise<Map<string, VisitRecord>> {
    const out = new Map<string, VisitRecord>();
    for (const id of memberIds) {
      const row = this.#s.openVisit.get(id);
      if (row) out.set(id, visitFromRow(row));
    }
    return out;
  }

  override async insertVisits(rows: readonly VisitRecord[]): Promise<void> {
    for (const v of rows) this.#s.insertVisit.run(visitToRow(v));
  }

  override async saveVisits(rows: readonly VisitRecord[]): Promise<void> {
    for (const v of rows) this.#s.closeVisit.run(v.checkedOutAt, v.id);
  }

  override async upsertClientStats(rows: readonly ClientStatsRow[]): Promise<void> {
    for (const r of rows) this.#s.upsertClientStats.run(r.clientId, r.receivedAt, JSON.stringify(r.stats));
  }
}
