import type { Member, MemberStatus, Rejection, ServerEvent } from '@av-gym/protocol';

/**
 * The persistence seam. The consumer and the HTTP API talk only to this interface; SQLite
 * (Kysely over better-sqlite3) is the embedded default and PostgreSQL (Kysely over pg)
 * follows with the same contract suite.
 *
 * OWNERSHIP: store/ and consumer/ (server-core). gateway/, http/, main.ts use it only.
 */
export interface Store {
  /** Runs migrations (safe when two processes start at once) and seeds the demo gym when empty and `seedDemo`. */
  init(options: { seedDemo: boolean; now?: number }): Promise<void>;
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
  getSession(token: string): Promise<SessionRow | undefined>;
  deleteSession(token: string): Promise<void>;
}

export interface Visit {
  id: string;
  memberId: string;
  memberName: string;
  deskId: string | null;
  checkedInAt: number;
  checkedOutAt: number | null;
}

export interface Occupancy {
  current: number;
  capacity: number;
  todayTotal: number;
  averageStayMinutes: number;
}

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
}

export interface SessionRow {
  token: string;
  username: string;
  createdAt: number;
  expiresAt: number;
}

export type { Member, Rejection, ServerEvent };
