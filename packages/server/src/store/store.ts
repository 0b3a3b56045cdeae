import type {
  AuditPage,
  AuditQuery,
  Member,
  MemberStatus,
  Occupancy,
  Rejection,
  ServerEvent,
  StaffRole,
  Visit,
} from '@av-gym/protocol';
import type { HistoryStore } from '../history/history-store.js';
import type { ReportStore } from '../reports/report-store.js';
import type { ClubStore } from './club-store.js';
import type { StaffAdmin } from './staff-admin.js';
import type { StoreMaintenance } from './store-maintenance.js';

/**
 * The persistence seam. The consumer and the HTTP API talk only to this interface; SQLite
 * (Kysely over better-sqlite3, `sqlite/`) is the embedded default and PostgreSQL (Kysely over
 * pg, `postgres/`) is the store for several nodes; one contract suite runs against both.
 */
export interface Store {
  /**
   * Runs migrations (safe when two processes start at once) and seeds the demo gym (three clubs)
   * when empty and `seedDemo`, with `seedHistoryDays` of visit history (default 0: a week of scattered visits).
   */
  init(options: { seedDemo: boolean; now?: number; seedHistoryDays?: number }): Promise<void>;
  close(): Promise<void>;
  /** True when the database answers a trivial query. */
  ping(): Promise<boolean>;

  // ---- read side (HTTP API) ----
  searchMembers(query: { q?: string; status?: MemberStatus; limit: number }): Promise<Member[]>;
  getMember(id: string): Promise<Member | undefined>;
  listVisits(query: { memberId?: string; open?: boolean; since?: number; limit: number }): Promise<Visit[]>;
  /** Open visits, and visits started / average stay of visits closed since UTC midnight of `now` ("today"). */
  occupancy(now: number): Promise<Occupancy>;
  /** The last committed global event seq (0 when none yet). */
  lastEventSeq(): Promise<number>;

  // ---- client_stats fleet view ----
  listClientStats(): Promise<ClientStatsRow[]>;

  // ---- staff accounts and sessions ----
  getStaff(username: string): Promise<StaffRow | undefined>;
  /** Creates the account if missing; never overwrites an existing one's password. Returns true if created. */
  ensureStaff(row: StaffRow): Promise<boolean>;
  createSession(session: SessionRow): Promise<void>;
  /** The session with this token hash, unless its account is disabled (expiry is the caller's check). */
  getSession(tokenHash: string): Promise<SessionRow | undefined>;
  deleteSession(tokenHash: string): Promise<void>;
  /**
   * Marks the account disabled (from `at`) and deletes its sessions, in one transaction.
   * Returns the token hashes of the sessions it ended; undefined when there is no such account.
   */
  disableStaff(username: string, at: number): Promise<string[] | undefined>;
  /**
   * Sets a new password hash and makes the account active again, ending its sessions, in one
   * transaction. Returns the token hashes of the sessions it ended; undefined when there is no such account.
   */
  setStaffPassword(username: string, passwordHash: string): Promise<string[] | undefined>;
  /** Every staff account, by username. */
  listStaff(): Promise<StaffRow[]>;

  /** The audited staff writes (admin screen, CLI, own password change), each with its audit row in one transaction. */
  readonly staffAdmin: StaffAdmin;

  // ---- audit trail (append-only: written by the consumer's transactions and the staff admin) ----
  /** One newest-first page of audit rows matching every given filter (keyset on the id). */
  queryAudit(query: AuditQuery): Promise<AuditPage>;

  /** Clubs of the chain, desks' clubs and per-club occupancy (issue 17). */
  readonly clubs: ClubStore;
  /** The monitor's time series and alert log, shared by the nodes of one database; absent: no history. */
  readonly history?: HistoryStore;
  /** The aggregates of the manager reports and the forecasts; absent: no reports. */
  readonly reports?: ReportStore;
  /** Retention deletes, row counts and file sizes (the housekeeper runs them); absent when a store has none. */
  readonly maintenance?: StoreMaintenance;
  /**
   * Committed events with seqs in `[fromSeq, toSeq]`, from the store's event log (written with each
   * commit): what a node that died never published. Absent when a store keeps no such log.
   */
  eventsBetween?(fromSeq: number, toSeq: number): Promise<readonly ServerEvent[]>;
  /**
   * The newest gap-free run of logged events inside the store's history window at `now`, in seq
   * order: what a node that starts loads for `resume`, so desks resume across a restart. Absent
   * when a store keeps no event log.
   */
  recentEvents?(now: number): Promise<readonly ServerEvent[]>;
}

/** A visit and the occupancy figures are read as they go over HTTP: the protocol declares them. */
export type { Occupancy, Visit } from '@av-gym/protocol';

export interface ClientStatsRow {
  clientId: string;
  receivedAt: number;
  stats: Record<string, unknown>;
}

export interface StaffRow {
  username: string;
  /** scrypt hash as `scrypt$N$salt$hash` (hex). */
  passwordHash: string;
  createdAt: number;
  /** When the account was disabled (epoch ms); absent while it is active. */
  disabledAt?: number;
  /** What the account may do (see `may`); created without one: `desk` (the first admin: `admin`). */
  role?: StaffRole;
  /** The name the screens show; absent or `''`: the username. */
  displayName?: string;
}

export interface SessionRow {
  /** SHA-256 of the session token (hex): what the database keeps instead of the token. */
  tokenHash: string;
  username: string;
  createdAt: number;
  expiresAt: number;
  /** The account's role, as read with the session (absent when only written). */
  role?: StaffRole;
}

export type { Member, Rejection, ServerEvent };
