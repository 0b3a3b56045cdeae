import type { ColumnType } from 'kysely';

/**
 * Table shapes as Kysely sees them. Times are epoch milliseconds (`bigint` columns), dates
 * are `YYYY-MM-DD` text, JSON is stored as text so the same code runs on SQLite and PostgreSQL.
 */
export interface Database {
  members: MembersTable;
  visits: VisitsTable;
  processed_messages: ProcessedMessagesTable;
  client_stats: ClientStatsTable;
  staff: StaffTable;
  staff_sessions: StaffSessionsTable;
  meta: MetaTable;
  event_log: EventLogTable;
  audit_log: AuditLogTable;
  clubs: ClubsTable;
  desks: DesksTable;
}

export interface MembersTable {
  id: string;
  membership_number: string;
  name: string;
  email: string | null;
  phone: string | null;
  plan: string;
  status: string;
  expires_at: string;
  notes: string;
  version: number;
  created_at: number;
  updated_at: number;
  last_visit_at: number | null;
  /** Migration 0007: `YYYY-MM-DD` or null. */
  date_of_birth: string | null;
  balance_due_cents: number;
  /** `YYYY-MM-DD` the waiver was signed, or null. */
  waiver_signed_at: string | null;
  /** Staff note shown as a check-in alert; `''`: none. */
  alert_note: string;
  /** Migration 0008 (optional: the column has a default): the member's home club (`main` for members from before). */
  home_club_id?: string;
  /** `home`: only the home club; `all`: every club of the chain. */
  access_rule?: string;
}

export interface VisitsTable {
  id: string;
  member_id: string;
  desk_id: string | null;
  checked_in_at: number;
  checked_out_at: number | null;
  /** Migration 0006: the staff member whose desk checked the member in (null: before 0006, or an API token). */
  staff?: string | null;
  /** Migration 0007: why blocking alerts were overridden at check-in, and by which staff member. */
  override_reason: string | null;
  override_by: string | null;
  /** Migration 0008: the club of the desk that checked the member in. */
  club_id?: string;
}

/** A club of the chain (migration 0008); the one with the lowest `position` is the default club. */
export interface ClubsTable {
  id: string;
  name: string;
  capacity: number;
  /** IANA time zone name, e.g. `Europe/London`. */
  time_zone: string;
  position: number;
  created_at: number;
}

/** Which club a desk belongs to; a desk not listed belongs to the default club. */
export interface DesksTable {
  id: string;
  club_id: string;
  updated_at: number;
}

/** The idempotency record: one row per message id whose outcome is final. */
export interface ProcessedMessagesTable {
  id: string;
  type: string;
  /** JSON of a {@link StoredOutcome}. */
  outcome: string;
  processed_at: number;
  /** `messageFingerprint` of type and data; null on rows from before migration 0003. */
  fingerprint: string | null;
}

export interface ClientStatsTable {
  client_id: string;
  received_at: number;
  /** JSON of the desk's metrics snapshot. */
  stats: string;
}

export interface StaffTable {
  username: string;
  password_hash: string;
  created_at: number;
  /** Set when the account was disabled (epoch ms): no login, no session. */
  disabled_at: number | null;
  /** Migration 0006: `desk`, `manager` or `admin` (existing accounts became `admin`). */
  role: ColumnType<string, string | undefined, string>;
  /** Migration 0006: the name the screens show; `''` shows the username. */
  display_name: ColumnType<string, string | undefined, string>;
}

export interface StaffSessionsTable {
  /** SHA-256 of the session token (hex); the token itself is never stored. */
  token_hash: string;
  username: string;
  created_at: number;
  expires_at: number;
}

/**
 * The durable event history: every event, written in the transaction of the change it describes,
 * bounded by count and age (housekeeping). Resume reads it after a restart; on PostgreSQL the
 * nodes also fill seqs a dead node never published from it.
 */
export interface EventLogTable {
  seq: number;
  /** JSON of the event (a protocol `ServerEvent`) without `at` (the reader fills it from `created_at`). */
  event: string;
  /** The transaction's clock (epoch ms). */
  created_at: number;
}

/** Migration 0006: the append-only audit trail (no update or delete path; PostgreSQL refuses both by trigger). */
export interface AuditLogTable {
  /** `a_<ULID>`: time-ordered, the keyset of newest-first pages. */
  id: string;
  at: number;
  staff: string;
  desk_id: string | null;
  action: string;
  member_id: string | null;
  target_staff: string | null;
  /** JSON of the changed fields before / after, or null. */
  before: string | null;
  after: string | null;
  reason: string | null;
}

/** Small counters: `event_seq`, `member_number_seq`, `demo_seeded`. */
export interface MetaTable {
  key: string;
  value: number;
}

/** Keys of the meta table. */
export const META_KEYS = {
  eventSeq: 'event_seq',
  memberNumberSeq: 'member_number_seq',
  demoSeeded: 'demo_seeded',
} as const;

/** The club migration 0008 makes: every existing desk, member and visit belongs to it (the first club). */
export const DEFAULT_CLUB_ID = 'main';
