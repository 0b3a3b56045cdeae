import type { MemberRecord, VisitRecord } from '../records.js';

/** Members kept at most; past it the least recently loaded are dropped (a big gym still fits). */
const MAX_CACHED_MEMBERS = 20_000;

/**
 * What the SQLite writer knows between transactions: members it has read or written, every open
 * visit, and today's visit count. Only committed state lands here (a transaction applies its own
 * changes after COMMIT; a failed one clears it all). `PRAGMA data_version`, read once per
 * transaction, tells when another connection (another process on the same file) committed, and
 * then it is all forgotten.
 */
export class SqliteWriteCache {
  readonly members = new Map<string, MemberRecord>();
  /** Open visit per member id, once loaded (all of them or nothing). */
  open: Map<string, VisitRecord> | undefined;
  /** Visits since `dayStart` (UTC midnight), once counted. */
  today: { dayStart: number; total: number } | undefined;
  /** Visits since `dayStart` per club (issue 17), once counted. */
  todayByClub: { dayStart: number; totals: Map<string, number> } | undefined;
  /** The `data_version` the cache matches. */
  dataVersion: number | undefined;

  rememberMember(member: MemberRecord): void {
    this.members.delete(member.id);
    this.members.set(member.id, member);
    if (this.members.size > MAX_CACHED_MEMBERS) {
      const oldest = this.members.keys().next().value;
      if (oldest !== undefined) this.members.delete(oldest);
    }
  }

  clear(): void {
    this.members.clear();
    this.open = undefined;
    this.today = undefined;
    this.todayByClub = undefined;
    this.dataVersion = undefined;
  }
}
