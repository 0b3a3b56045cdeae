import { createHash } from 'node:crypto';
import {
  type CreateTableBuilder,
  type Kysely,
  type Migration,
  type MigrationProvider,
  Migrator,
  sql,
} from 'kysely';
import { DEFAULT_CLUB_ID, META_KEYS } from './schema.js';
import { staffRolesAudit } from './staff-audit-migration.js';

/** Dialect hooks; the shared migrations hold no dialect-only SQL themselves. */
export interface MigrationDialectOptions {
  /**
   * Applied to tables keyed by a text id that take many inserts (SQLite passes `WITHOUT ROWID`,
   * which halves the b-trees written per row).
   */
  keyedTable?: <T extends string, C extends string>(
    builder: CreateTableBuilder<T, C>,
  ) => CreateTableBuilder<T, C>;
  /**
   * The column type of the event log's seq: SQLite passes `integer` (the table's rowid, so a row is
   * one b-tree entry), PostgreSQL keeps `bigint`.
   */
  eventSeqType?: 'integer' | 'bigint';
  /** The capacity migration 0008 gives the default club (the store's `GYM_CAPACITY`). Default 120. */
  defaultClubCapacity?: number;
  /** Makes a table refuse UPDATE and DELETE (PostgreSQL passes a trigger; SQLite relies on the store having no such path). */
  appendOnly?: (db: AnyDb, table: string) => Promise<void>;
}

// biome-ignore lint/suspicious/noExplicitAny: migrations are written against an untyped Kysely on purpose
type AnyDb = Kysely<any>;

function initialSchema(options: MigrationDialectOptions): Migration {
  const keyed = options.keyedTable ?? ((b) => b);
  return {
    async up(db: AnyDb) {
      await keyed(
        db.schema
          .createTable('members')
          .addColumn('id', 'varchar(64)', (c) => c.primaryKey())
          .addColumn('membership_number', 'varchar(32)', (c) => c.notNull().unique())
          .addColumn('name', 'text', (c) => c.notNull())
          .addColumn('email', 'text')
          .addColumn('phone', 'text')
          .addColumn('plan', 'varchar(16)', (c) => c.notNull())
          .addColumn('status', 'varchar(16)', (c) => c.notNull())
          .addColumn('expires_at', 'varchar(10)', (c) => c.notNull())
          .addColumn('notes', 'text', (c) => c.notNull().defaultTo(''))
          .addColumn('version', 'integer', (c) => c.notNull())
          .addColumn('created_at', 'bigint', (c) => c.notNull())
          .addColumn('updated_at', 'bigint', (c) => c.notNull())
          .addColumn('last_visit_at', 'bigint'),
      ).execute();
      await db.schema.createIndex('members_status_name').on('members').columns(['status', 'name']).execute();
      await db.schema.createIndex('members_name').on('members').column('name').execute();

      await keyed(
        db.schema
          .createTable('visits')
          .addColumn('id', 'varchar(64)', (c) => c.primaryKey())
          .addColumn('member_id', 'varchar(64)', (c) => c.notNull())
          .addColumn('desk_id', 'varchar(64)')
          .addColumn('checked_in_at', 'bigint', (c) => c.notNull())
          .addColumn('checked_out_at', 'bigint'),
      ).execute();
      // At most one open visit per member, enforced by the database as well as by the handlers.
      await db.schema
        .createIndex('visits_open_member')
        .on('visits')
        .column('member_id')
        .unique()
        .where(sql.ref('checked_out_at'), 'is', null)
        .execute();
      await db.schema
        .createIndex('visits_member_checked_in')
        .on('visits')
        .columns(['member_id', 'checked_in_at'])
        .execute();
      await db.schema.createIndex('visits_checked_in').on('visits').column('checked_in_at').execute();
      // Partial: open visits (the hot inserts) stay out of this index.
      await db.schema
        .createIndex('visits_checked_out')
        .on('visits')
        .column('checked_out_at')
        .where(sql.ref('checked_out_at'), 'is not', null)
        .execute();

      await keyed(
        db.schema
          .createTable('processed_messages')
          .addColumn('id', 'varchar(64)', (c) => c.primaryKey())
          .addColumn('type', 'varchar(64)', (c) => c.notNull())
          .addColumn('outcome', 'text', (c) => c.notNull())
          .addColumn('processed_at', 'bigint', (c) => c.notNull()),
      ).execute();

      await db.schema
        .createTable('client_stats')
        .addColumn('client_id', 'varchar(128)', (c) => c.primaryKey())
        .addColumn('received_at', 'bigint', (c) => c.notNull())
        .addColumn('stats', 'text', (c) => c.notNull())
        .execute();

      await db.schema
        .createTable('staff')
        .addColumn('username', 'varchar(64)', (c) => c.primaryKey())
        .addColumn('password_hash', 'text', (c) => c.notNull())
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .execute();

      await db.schema
        .createTable('staff_sessions')
        .addColumn('token', 'varchar(128)', (c) => c.primaryKey())
        .addColumn('username', 'varchar(64)', (c) => c.notNull())
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('expires_at', 'bigint', (c) => c.notNull())
        .execute();

      await db.schema
        .createTable('meta')
        .addColumn('key', 'varchar(64)', (c) => c.primaryKey())
        .addColumn('value', 'bigint', (c) => c.notNull())
        .execute();
      await db
        .insertInto('meta')
        .values([
          { key: META_KEYS.eventSeq, value: 0 },
          { key: META_KEYS.memberNumberSeq, value: 100_000 },
        ])
        .execute();
    },
  };
}

/**
 * Session tokens are stored as their SHA-256 (hex) only: existing rows are hashed in place, so
 * open sessions stay valid while the database no longer holds a usable token. Staff accounts
 * can be disabled (`disabled_at`); sessions are found by username to end them.
 */
const hashedSessionsDisabledStaff: Migration = {
  async up(db: AnyDb) {
    await db.schema.alterTable('staff').addColumn('disabled_at', 'bigint').execute();
    await db.schema.alterTable('staff_sessions').renameColumn('token', 'token_hash').execute();
    const rows = (await db.selectFrom('staff_sessions').select('token_hash').execute()) as {
      token_hash: string;
    }[];
    for (const { token_hash: token } of rows) {
      await db
        .updateTable('staff_sessions')
        .set({ token_hash: createHash('sha256').update(token).digest('hex') })
        .where('token_hash', '=', token)
        .execute();
    }
    await db.schema.createIndex('staff_sessions_username').on('staff_sessions').column('username').execute();
  },
};

/**
 * Idempotency records keep a fingerprint of the message (an id reused for another message is
 * refused `ID_REUSED`; rows from before stay null and keep the old duplicate answer), and
 * expired sessions are found through an index. Old idempotency records are found by a sweep over
 * the primary key instead: an index on `processed_at` cost ~2.8 µs on every insert (measured).
 */
const fingerprintsAndRetention: Migration = {
  async up(db: AnyDb) {
    await db.schema.alterTable('processed_messages').addColumn('fingerprint', 'varchar(32)').execute();
    await db.schema
      .createIndex('staff_sessions_expires_at')
      .on('staff_sessions')
      .column('expires_at')
      .execute();
  },
};

/**
 * The durable event history on every store (PostgreSQL had it as `event_log` already, created
 * outside the migrations: the same table, hence `if not exists`). No index besides the seq: rows are
 * written in seq order with a rising clock, so the age sweep walks the oldest seqs (see
 * `event-log.ts`).
 */
function eventLog(options: MigrationDialectOptions): Migration {
  return {
    async up(db: AnyDb) {
      await db.schema
        .createTable('event_log')
        .ifNotExists()
        .addColumn('seq', options.eventSeqType ?? 'bigint', (c) => c.primaryKey())
        .addColumn('event', 'text', (c) => c.notNull())
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .execute();
    },
  };
}

/**
 * The monitor's memory: the time series (10 s, 1 min and 1 h rows side by side; `''` for no
 * desk or node, so the key has no nulls) and the alert log. The second index serves retention
 * deletes and the node list, which read one resolution by time.
 */
const history: Migration = {
  async up(db: AnyDb) {
    await db.schema
      .createTable('history_samples')
      .addColumn('resolution_s', 'integer', (c) => c.notNull())
      .addColumn('metric', 'varchar(64)', (c) => c.notNull())
      .addColumn('desk', 'varchar(128)', (c) => c.notNull())
      .addColumn('node', 'varchar(128)', (c) => c.notNull())
      .addColumn('at', 'bigint', (c) => c.notNull())
      .addColumn('value', 'double precision', (c) => c.notNull())
      .addPrimaryKeyConstraint('history_samples_pk', ['resolution_s', 'metric', 'desk', 'node', 'at'])
      .execute();
    await db.schema
      .createIndex('history_samples_resolution_at')
      .on('history_samples')
      .columns(['resolution_s', 'at'])
      .execute();
    await db.schema
      .createTable('alert_log')
      .addColumn('id', 'varchar(64)', (c) => c.primaryKey())
      .addColumn('rule', 'varchar(32)', (c) => c.notNull())
      .addColumn('subject', 'varchar(128)', (c) => c.notNull())
      .addColumn('severity', 'varchar(16)', (c) => c.notNull())
      .addColumn('state', 'varchar(16)', (c) => c.notNull())
      .addColumn('summary', 'text', (c) => c.notNull())
      .addColumn('value', 'double precision', (c) => c.notNull())
      .addColumn('node', 'varchar(128)', (c) => c.notNull())
      .addColumn('started_at', 'bigint', (c) => c.notNull())
      .addColumn('fired_at', 'bigint')
      .addColumn('resolved_at', 'bigint')
      .addColumn('updated_at', 'bigint', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('alert_log_updated_at').on('alert_log').column('updated_at').execute();
  },
};

/**
 * Issue 13: what check-in alerts read on the member (date of birth, balance due in cents, the day
 * the waiver was signed, a staff note shown as an alert) and what an override leaves on the visit
 * (the reason and the staff member). All nullable or defaulted, so existing rows stay valid.
 */
const memberAlerts: Migration = {
  async up(db: AnyDb) {
    await db.schema.alterTable('members').addColumn('date_of_birth', 'varchar(10)').execute();
    await db.schema
      .alterTable('members')
      .addColumn('balance_due_cents', 'bigint', (c) => c.notNull().defaultTo(0))
      .execute();
    await db.schema.alterTable('members').addColumn('waiver_signed_at', 'varchar(10)').execute();
    await db.schema
      .alterTable('members')
      .addColumn('alert_note', 'text', (c) => c.notNull().defaultTo(''))
      .execute();
    await db.schema.alterTable('visits').addColumn('override_reason', 'text').execute();
    await db.schema.alterTable('visits').addColumn('override_by', 'varchar(128)').execute();
  },
};

/**
 * Issue 17, a gym chain: clubs (name, capacity, IANA time zone; `position` orders them, the first is
 * the default club), desks mapped to a club, each visit's club, and each member's home club and
 * access rule (`home`: only the home club; `all`: every club). Existing rows land in the default
 * club with access `all`, so an upgraded gym behaves as before. `visits(club_id, checked_in_at)`
 * serves per-club counts of today and the reports over a date range.
 */
function clubs(options: MigrationDialectOptions): Migration {
  return {
    async up(db: AnyDb) {
      await db.schema
        .createTable('clubs')
        .addColumn('id', 'varchar(32)', (c) => c.primaryKey())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('capacity', 'integer', (c) => c.notNull())
        .addColumn('time_zone', 'varchar(64)', (c) => c.notNull())
        .addColumn('position', 'integer', (c) => c.notNull())
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .execute();
      await db
        .insertInto('clubs')
        .values({
          id: DEFAULT_CLUB_ID,
          name: 'Main club',
          capacity: options.defaultClubCapacity ?? 120,
          time_zone: 'UTC',
          position: 0,
          created_at: Date.now(),
        })
        .execute();
      await db.schema
        .createTable('desks')
        .addColumn('id', 'varchar(64)', (c) => c.primaryKey())
        .addColumn('club_id', 'varchar(32)', (c) => c.notNull())
        .addColumn('updated_at', 'bigint', (c) => c.notNull())
        .execute();
      await db.schema
        .alterTable('visits')
        .addColumn('club_id', 'varchar(32)', (c) => c.notNull().defaultTo(DEFAULT_CLUB_ID))
        .execute();
      await db.schema
        .alterTable('members')
        .addColumn('home_club_id', 'varchar(32)', (c) => c.notNull().defaultTo(DEFAULT_CLUB_ID))
        .execute();
      await db.schema
        .alterTable('members')
        .addColumn('access_rule', 'varchar(8)', (c) => c.notNull().defaultTo('all'))
        .execute();
      await db.schema
        .createIndex('visits_club_checked_in')
        .on('visits')
        .columns(['club_id', 'checked_in_at'])
        .execute();
      await db.schema.createIndex('members_home_club').on('members').column('home_club_id').execute();
    },
  };
}

/**
 * Issue 17 reports: visits per club (and `*`, the chain) and hour of check-in for every day older
 * than the client time window (filled lazily by the report reads, `reports/kysely-report-store.ts`),
 * so a year of reports reads 8,760 rows instead of a million visits.
 */
const reportIndexes: Migration = {
  async up(db: AnyDb) {
    await db.schema
      .createTable('report_visit_hours')
      .addColumn('club_id', 'varchar(32)', (c) => c.notNull())
      .addColumn('hour', 'bigint', (c) => c.notNull())
      .addColumn('visits', 'integer', (c) => c.notNull())
      .addColumn('closed', 'integer', (c) => c.notNull())
      .addColumn('stay_ms', 'bigint', (c) => c.notNull())
      .addColumn('check_outs', 'integer', (c) => c.notNull())
      .addPrimaryKeyConstraint('report_visit_hours_pk', ['club_id', 'hour'])
      .execute();
    // The chain's reports read the days not yet rolled up from this index alone (no row lookups);
    // it serves every query the index on checked_in_at alone served, so that one goes.
    await db.schema
      .createIndex('visits_checked_in_out')
      .on('visits')
      .columns(['checked_in_at', 'checked_out_at'])
      .execute();
    await db.schema.dropIndex('visits_checked_in').execute();
  },
};

/** The in-code migration list; names sort in the order they apply. */
export function createMigrationProvider(options: MigrationDialectOptions = {}): MigrationProvider {
  return {
    async getMigrations() {
      return {
        '0001_initial_schema': initialSchema(options),
        '0002_hashed_sessions_disabled_staff': hashedSessionsDisabledStaff,
        '0003_fingerprints_and_retention': fingerprintsAndRetention,
        '0004_event_log': eventLog(options),
        '0005_history': history,
        '0006_staff_roles_audit': staffRolesAudit(options),
        '0008_clubs': clubs(options),
        '0007_member_alerts': memberAlerts,
        '0009_report_indexes': reportIndexes,
      };
    },
  };
}

/** Applies every pending migration; throws with the failing migration's error. */
export async function migrateToLatest(db: AnyDb, options: MigrationDialectOptions = {}): Promise<string[]> {
  // Unordered: migrations of parallel work land with numbers that may sort before one applied already.
  const migrator = new Migrator({
    db,
    provider: createMigrationProvider(options),
    allowUnorderedMigrations: true,
  });
  const { error, results } = await migrator.migrateToLatest();
  if (error) throw error instanceof Error ? error : new Error(String(error));
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}
