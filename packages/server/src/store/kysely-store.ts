import {
  type AuditPage,
  type AuditQuery,
  type Member,
  type MemberStatus,
  type ServerEvent,
  STAFF_ROLES,
  type StaffRole,
} from '@av-gym/protocol';
import { type Kysely, sql, type Transaction } from 'kysely';
import type { Logger } from 'pino';
import type { HistoryStore } from '../history/history-store.js';
import { KyselyHistoryStore } from '../history/kysely-history-store.js';
import { KyselyReportStore } from '../reports/kysely-report-store.js';
import type { ReportStore } from '../reports/report-store.js';
import { queryAudit } from './audit-queries.js';
import { saveClubs } from './club-queries.js';
import { type ClubStore, KyselyClubStore } from './club-store.js';
import { DEMO_CLUBS } from './demo-history.js';
import { buildDemoGym, DEMO_MEMBER_COUNT } from './demo-seed.js';
import { DEFAULT_EVENT_LOG_WINDOW, type EventLogWindow, readEvents, recentEvents } from './event-log.js';
import { KyselyMaintenance, type MaintenanceHooks } from './kysely-maintenance.js';
import { KyselyStaffAdmin } from './kysely-staff-admin.js';
import { KyselyStoreTx, occupancyCounts } from './kysely-store-tx.js';
import { type MigrationDialectOptions, migrateToLatest } from './migrations.js';
import { memberFromRow, toMember, utcMidnight, visitFromRow } from './records.js';
import { type Database, META_KEYS } from './schema.js';
import type { StaffAdmin } from './staff-admin.js';
import type { ClientStatsRow, Occupancy, SessionRow, StaffRow, Visit } from './store.js';
import type { StoreMaintenance } from './store-maintenance.js';
import type { DialectTx, StoreTx, WriteStore } from './write-store.js';

export interface KyselyStoreOptions {
  logger: Logger;
  /** Maximum occupancy of the gym. Default 120. */
  capacity?: number;
  migrations?: MigrationDialectOptions;
  /** The event history kept: count (trimmed by the writing transactions) and age (by housekeeping). Default 10,000 events, 24 h. */
  eventLog?: EventLogWindow;
  /**
   * Builds the transaction's write API (a dialect may swap in a faster one), given the event log's
   * count bound. Default {@link KyselyStoreTx}.
   */
  createTx?: (trx: Transaction<Database>, maxEvents: number) => DialectTx;
  /** Runs after a club or a desk's club was written (SQLite's write cache forgets them). */
  onClubsChanged?: () => void;
  /** Runs after the Kysely instance is destroyed (e.g. to close a driver handle Kysely never opened). */
  onClose?: () => void | Promise<void>;
  /** What the dialect's maintenance does its own way (counts, file sizes, log truncation). */
  maintenanceHooks?: MaintenanceHooks;
  /** Serialises the last-admin guard of staff changes across nodes (PostgreSQL: an advisory lock). */
  staffLock?: (trx: Transaction<Database>) => Promise<void>;
}

/** Every character LIKE treats specially, escaped with a backslash. */
function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/**
 * The {@link WriteStore} over any Kysely dialect. Dialect factories (`store/sqlite/`,
 * `store/postgres/`) open the connection and hand it here with their own {@link DialectTx}.
 */
export class KyselyStore implements WriteStore {
  readonly capacity: number;
  readonly maintenance: StoreMaintenance;
  readonly history: HistoryStore;
  readonly staffAdmin: StaffAdmin;
  readonly clubs: ClubStore;
  readonly reports: ReportStore;
  /** The event history this store keeps. */
  readonly eventLog: EventLogWindow;
  readonly #db: Kysely<Database>;
  readonly #logger: Logger;
  readonly #migrations: MigrationDialectOptions;
  readonly #onClose: (() => void | Promise<void>) | undefined;
  readonly #onClubsChanged: () => void;
  readonly #createTx: (trx: Transaction<Database>, maxEvents: number) => DialectTx;

  constructor(db: Kysely<Database>, options: KyselyStoreOptions) {
    this.#db = db;
    this.#logger = options.logger;
    this.capacity = options.capacity ?? 120;
    this.#migrations = { defaultClubCapacity: this.capacity, ...options.migrations };
    this.#onClose = options.onClose;
    this.#createTx = options.createTx ?? ((trx, maxEvents) => new KyselyStoreTx(trx, maxEvents));
    this.eventLog = { ...DEFAULT_EVENT_LOG_WINDOW, ...options.eventLog };
    this.maintenance = new KyselyMaintenance(db, options.maintenanceHooks, this.eventLog);
    this.history = new KyselyHistoryStore(db);
    this.staffAdmin = new KyselyStaffAdmin(db, options.staffLock);
    this.#onClubsChanged = options.onClubsChanged ?? (() => {});
    this.clubs = new KyselyClubStore(db, this.#onClubsChanged);
    this.reports = new KyselyReportStore(db);
  }

  async init(options: { seedDemo: boolean; now?: number; seedHistoryDays?: number }): Promise<void> {
    const applied = await migrateToLatest(this.#db, this.#migrations);
    if (applied.length > 0) this.#logger.info({ migrations: applied }, 'store migrated');
    if (options.seedDemo) await this.#seedOnce(options.now ?? Date.now(), options.seedHistoryDays ?? 0);
  }

  /** The guard row and the demo rows commit together, so a gym is seeded exactly once. */
  async #seedOnce(now: number, historyDays: number): Promise<void> {
    const started = performance.now();
    const seeded = await this.#db.transaction().execute(async (trx) => {
      const guard = await trx
        .insertInto('meta')
        .values({ key: META_KEYS.demoSeeded, value: now })
        .onConflict((oc) => oc.column('key').doNothing())
        .executeTakeFirst();
      if (Number(guard.numInsertedOrUpdatedRows ?? 0) === 0) return false;
      const existing = await trx.selectFrom('members').select('id').limit(1).execute();
      if (existing.length > 0) return false;
      const gym = buildDemoGym(now, 42, { historyDays });
      await saveClubs(trx, DEMO_CLUBS, now);
      const tx = new KyselyStoreTx(trx);
      await tx.insertMembers(gym.members);
      await tx.insertVisits(gym.visits);
      await trx
        .updateTable('meta')
        .set({ value: gym.lastMembershipNumber })
        .where('key', '=', META_KEYS.memberNumberSeq)
        .execute();
      return true;
    });
    if (seeded) this.#onClubsChanged();
    if (seeded)
      this.#logger.info(
        {
          members: DEMO_MEMBER_COUNT,
          clubs: DEMO_CLUBS.length,
          historyDays,
          ms: Math.round(performance.now() - started),
        },
        'demo gym seeded',
      );
  }

  async close(): Promise<void> {
    await this.#db.destroy();
    await this.#onClose?.();
  }

  async ping(): Promise<boolean> {
    try {
      await sql`select 1`.execute(this.#db);
      return true;
    } catch {
      return false;
    }
  }

  async transaction<T>(fn: (tx: StoreTx) => Promise<T>): Promise<T> {
    let tx: DialectTx | undefined;
    let result: T;
    try {
      result = await this.#db.transaction().execute((trx) => {
        tx = this.#createTx(trx, this.eventLog.maxEvents);
        return fn(tx);
      });
    } catch (error) {
      tx?.abandoned();
      throw error;
    }
    tx?.committed();
    return result;
  }

  async searchMembers(query: { q?: string; status?: MemberStatus; limit: number }): Promise<Member[]> {
    let select = this.#db.selectFrom('members').selectAll();
    if (query.status) select = select.where('status', '=', query.status);
    const text = query.q?.trim() ?? '';
    if (text.length > 0) {
      const contains = `%${escapeLike(text.toLowerCase())}%`;
      const numberPrefix = `${escapeLike(text.toUpperCase())}%`;
      select = select
        .where((eb) =>
          eb.or([
            sql<boolean>`lower(name) like ${contains} escape '\\'`,
            sql<boolean>`lower(email) like ${contains} escape '\\'`,
            sql<boolean>`membership_number like ${numberPrefix} escape '\\'`,
          ]),
        )
        // An exact membership number (a barcode scan) comes first.
        .orderBy(sql`case when membership_number = ${text.toUpperCase()} then 0 else 1 end`);
    }
    const rows = await select.orderBy('name').orderBy('id').limit(query.limit).execute();
    return rows.map((r) => toMember(memberFromRow(r)));
  }

  async getMember(id: string): Promise<Member | undefined> {
    const row = await this.#db.selectFrom('members').selectAll().where('id', '=', id).executeTakeFirst();
    return row ? toMember(memberFromRow(row)) : undefined;
  }

  async listVisits(query: {
    memberId?: string;
    open?: boolean;
    since?: number;
    limit: number;
  }): Promise<Visit[]> {
    let select = this.#db
      .selectFrom('visits')
      .innerJoin('members', 'members.id', 'visits.member_id')
      .selectAll('visits')
      .select('members.name as member_name');
    if (query.memberId !== undefined) select = select.where('visits.member_id', '=', query.memberId);
    if (query.open === true) select = select.where('visits.checked_out_at', 'is', null);
    if (query.open === false) select = select.where('visits.checked_out_at', 'is not', null);
    if (query.since !== undefined) select = select.where('visits.checked_in_at', '>=', query.since);
    const rows = await select
      .orderBy('visits.checked_in_at', 'desc')
      .orderBy('visits.id', 'desc')
      .limit(query.limit)
      .execute();
    return rows.map((r) => ({ ...visitFromRow(r), memberName: r.member_name }));
  }

  /** "Today" starts at UTC midnight of `now` (the server keeps no time zone). */
  async occupancy(now: number): Promise<Occupancy> {
    const counts = await occupancyCounts(this.#db, now);
    const stay = await this.#db
      .selectFrom('visits')
      .select((eb) =>
        eb.fn.avg<number | null>(eb('checked_out_at', '-', eb.ref('checked_in_at'))).as('avg_ms'),
      )
      // The explicit IS NOT NULL lets SQLite use the partial index on checked_out_at.
      .where('checked_out_at', 'is not', null)
      .where('checked_out_at', '>=', utcMidnight(now))
      .executeTakeFirstOrThrow();
    const avgMs = stay.avg_ms === null ? 0 : Number(stay.avg_ms);
    return { ...counts, capacity: this.capacity, averageStayMinutes: Math.round(avgMs / 6_000) / 10 };
  }

  async lastEventSeq(): Promise<number> {
    const row = await this.#db
      .selectFrom('meta')
      .select('value')
      .where('key', '=', META_KEYS.eventSeq)
      .executeTakeFirst();
    return row ? Number(row.value) : 0;
  }

  /** Committed events with seqs in `[fromSeq, toSeq]`, from the event log (what a node that died never published). */
  eventsBetween(fromSeq: number, toSeq: number): Promise<ServerEvent[]> {
    return readEvents(this.#db, fromSeq, toSeq);
  }

  /**
   * The newest gap-free run of logged events inside the window at `now` (at most `maxEvents`, none
   * older than `maxAgeMs`), in seq order: the resume history of a node that starts.
   */
  recentEvents(now: number): Promise<ServerEvent[]> {
    return recentEvents(this.#db, this.eventLog.maxEvents, now - this.eventLog.maxAgeMs);
  }

  async listClientStats(): Promise<ClientStatsRow[]> {
    const rows = await this.#db.selectFrom('client_stats').selectAll().orderBy('client_id').execute();
    return rows.map((r) => ({
      clientId: r.client_id,
      receivedAt: Number(r.received_at),
      stats: JSON.parse(r.stats) as Record<string, unknown>,
    }));
  }

  async getStaff(username: string): Promise<StaffRow | undefined> {
    const row = await this.#db
      .selectFrom('staff')
      .selectAll()
      .where('username', '=', username)
      .executeTakeFirst();
    return row ? staffRow(row) : undefined;
  }

  queryAudit(query: AuditQuery): Promise<AuditPage> {
    return queryAudit(this.#db, query);
  }

  async listStaff(): Promise<StaffRow[]> {
    const rows = await this.#db.selectFrom('staff').selectAll().orderBy('username').execute();
    return rows.map(staffRow);
  }

  async setStaffPassword(username: string, passwordHash: string): Promise<string[] | undefined> {
    return this.#db.transaction().execute(async (trx) => {
      const updated = await trx
        .updateTable('staff')
        .set({ password_hash: passwordHash, disabled_at: null })
        .where('username', '=', username)
        .executeTakeFirst();
      if (Number(updated.numUpdatedRows) === 0) return undefined;
      const ended = await trx
        .deleteFrom('staff_sessions')
        .where('username', '=', username)
        .returning('token_hash')
        .execute();
      return ended.map((r) => r.token_hash);
    });
  }

  async ensureStaff(row: StaffRow): Promise<boolean> {
    const result = await this.#db
      .insertInto('staff')
      .values({
        username: row.username,
        password_hash: row.passwordHash,
        created_at: row.createdAt,
        role: row.role ?? 'desk',
        display_name: row.displayName ?? '',
      })
      .onConflict((oc) => oc.column('username').doNothing())
      .executeTakeFirst();
    return Number(result.numInsertedOrUpdatedRows ?? 0) > 0;
  }

  async createSession(session: SessionRow): Promise<void> {
    await this.#db
      .insertInto('staff_sessions')
      .values({
        token_hash: session.tokenHash,
        username: session.username,
        created_at: session.createdAt,
        expires_at: session.expiresAt,
      })
      .execute();
  }

  async getSession(tokenHash: string): Promise<SessionRow | undefined> {
    const row = await this.#db
      .selectFrom('staff_sessions')
      .innerJoin('staff', 'staff.username', 'staff_sessions.username')
      .select([
        'staff_sessions.token_hash',
        'staff_sessions.username',
        'staff_sessions.created_at',
        'staff_sessions.expires_at',
        'staff.role',
      ])
      .where('staff_sessions.token_hash', '=', tokenHash)
      .where('staff.disabled_at', 'is', null)
      .executeTakeFirst();
    if (!row) return undefined;
    return {
      tokenHash: row.token_hash,
      username: row.username,
      createdAt: Number(row.created_at),
      expiresAt: Number(row.expires_at),
      role: roleOf(row.role),
    };
  }

  async deleteSession(tokenHash: string): Promise<void> {
    await this.#db.deleteFrom('staff_sessions').where('token_hash', '=', tokenHash).execute();
  }

  async disableStaff(username: string, at: number): Promise<string[] | undefined> {
    return this.#db.transaction().execute(async (trx) => {
      const updated = await trx
        .updateTable('staff')
        .set({ disabled_at: at })
        .where('username', '=', username)
        .executeTakeFirst();
      if (Number(updated.numUpdatedRows) === 0) return undefined;
      const ended = await trx
        .deleteFrom('staff_sessions')
        .where('username', '=', username)
        .returning('token_hash')
        .execute();
      return ended.map((r) => r.token_hash);
    });
  }
}

function staffRow(row: {
  username: string;
  password_hash: string;
  created_at: number | string | bigint;
  disabled_at: number | string | bigint | null;
  role: string;
  display_name: string;
}): StaffRow {
  const staff: StaffRow = {
    username: row.username,
    passwordHash: row.password_hash,
    createdAt: Number(row.created_at),
    role: roleOf(row.role),
    displayName: row.display_name,
  };
  if (row.disabled_at !== null) staff.disabledAt = Number(row.disabled_at);
  return staff;
}

/** A stored role, read defensively: a value this code does not know acts as the least powerful role. */
export function roleOf(value: string): StaffRole {
  return (STAFF_ROLES as readonly string[]).includes(value) ? (value as StaffRole) : 'desk';
}
