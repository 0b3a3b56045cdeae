import type { Club } from '@av-gym/protocol';
import type { MemberRecord, VisitRecord } from '../records.js';

/** Members kept at most; past it the least recently loaded are dropped (a big gym still fits). */
const MAX_CACHED_MEMBERS = 20_000;
/** Desks whose club is kept at most; past it the map starts again. */
const MAX_CACHED_DESKS = 10_000;

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
  /** The clubs in order (issue 17), once read; forgotten when a club or a desk changes. */
  clubs: Club[] | undefined;
  /** Each desk's club as read (null: never set up, so the default club). */
  readonly desks = new Map<string, string | null>();
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

  /** Remembers a desk's club, dropping them all first when the map is full. */
  rememberDesk(deskId: string, clubId: string | null): void {
    if (this.desks.size >= MAX_CACHED_DESKS) this.desks.clear();
    this.desks.set(deskId, clubId);
  }

  /** A club or a desk changed on this connection (store.clubs): read them again. */
  forgetClubs(): void {
    this.clubs = undefined;
    this.desks.clear();
  }

  clear(): void {
    this.members.clear();
    this.open = undefined;
    this.today = undefined;
    this.todayByClub = undefined;
    this.forgetClubs();
    this.dataVersion = undefined;
  }
}
