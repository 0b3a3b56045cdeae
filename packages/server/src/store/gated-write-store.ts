import type { AuditPage, AuditQuery, Member, MemberStatus } from '@av-gym/protocol';
import type { ClubStore } from './club-store.js';
import type { StaffAdmin } from './staff-admin.js';
import type { ClientStatsRow, Occupancy, SessionRow, StaffRow, Visit } from './store.js';
import type { StoreTx, WriteStore } from './write-store.js';

/** Thrown by a gated store's `transaction` while writes are closed; the consumer answers UNAVAILABLE. */
export class WritesClosedError extends Error {
  constructor(reason: string) {
    super(`writes are closed: ${reason}`);
    this.name = 'WritesClosedError';
  }
}

/**
 * A {@link WriteStore} that refuses transactions while `open()` says no, e.g. while the broker
 * cannot reach Redis: a write committed then could not reach other nodes' desks, so the
 * message is answered UNAVAILABLE (retryable) before anything is written. Reads pass through.
 */
export class GatedWriteStore implements WriteStore {
  constructor(
    private readonly inner: WriteStore,
    private readonly open: () => string | undefined,
  ) {}

  /** Staff changes go through: they reach no desk through the broker, so a closed gate need not stop them. */
  get staffAdmin(): StaffAdmin {
    return this.inner.staffAdmin;
  }

  get capacity(): number {
    return this.inner.capacity;
  }

  get clubs(): ClubStore {
    return this.inner.clubs;
  }

  transaction<T>(fn: (tx: StoreTx) => Promise<T>): Promise<T> {
    const closedBecause = this.open();
    if (closedBecause !== undefined) return Promise.reject(new WritesClosedError(closedBecause));
    return this.inner.transaction(fn);
  }

  init(options: { seedDemo: boolean; now?: number; seedHistoryDays?: number }): Promise<void> {
    return this.inner.init(options);
  }
  close(): Promise<void> {
    return this.inner.close();
  }
  ping(): Promise<boolean> {
    return this.inner.ping();
  }
  searchMembers(query: { q?: string; status?: MemberStatus; limit: number }): Promise<Member[]> {
    return this.inner.searchMembers(query);
  }
  getMember(id: string): Promise<Member | undefined> {
    return this.inner.getMember(id);
  }
  listVisits(query: { memberId?: string; open?: boolean; since?: number; limit: number }): Promise<Visit[]> {
    return this.inner.listVisits(query);
  }
  occupancy(now: number): Promise<Occupancy> {
    return this.inner.occupancy(now);
  }
  lastEventSeq(): Promise<number> {
    return this.inner.lastEventSeq();
  }
  listClientStats(): Promise<ClientStatsRow[]> {
    return this.inner.listClientStats();
  }
  getStaff(username: string): Promise<StaffRow | undefined> {
    return this.inner.getStaff(username);
  }
  ensureStaff(row: StaffRow): Promise<boolean> {
    return this.inner.ensureStaff(row);
  }
  createSession(session: SessionRow): Promise<void> {
    return this.inner.createSession(session);
  }
  getSession(tokenHash: string): Promise<SessionRow | undefined> {
    return this.inner.getSession(tokenHash);
  }
  deleteSession(tokenHash: string): Promise<void> {
    return this.inner.deleteSession(tokenHash);
  }
  disableStaff(username: string, at: number): Promise<string[] | undefined> {
    return this.inner.disableStaff(username, at);
  }
  setStaffPassword(username: string, passwordHash: string): Promise<string[] | undefined> {
    return this.inner.setStaffPassword(username, passwordHash);
  }
  listStaff(): Promise<StaffRow[]> {
    return this.inner.listStaff();
  }
  queryAudit(query: AuditQuery): Promise<AuditPage> {
    return this.inner.queryAudit(query);
  }
}
