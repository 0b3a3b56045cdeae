import type { Club, ServerEvent } from '@av-gym/protocol';
import type { AuditRecord } from './audit-records.js';
import type { MemberRecord, ProcessedRecord, VisitRecord } from './records.js';
import type { ClientStatsRow, Store } from './store.js';

/** One club's figures, as a per-club `occupancy.changed` carries them. */
export interface ClubCounts {
  current: number;
  todayTotal: number;
  capacity: number;
}

/** See {@link StoreTx.clubContext}. */
export interface ClubContext {
  clubs: Club[];
  desks: Map<string, string>;
  openByClub: Map<string, number>;
}

/**
 * The write side the batch consumer needs on top of {@link Store}. Every method of
 * {@link StoreTx} is a set-based statement (one query per call, chunked under the variable
 * limit), never one query per message.
 */
export interface WriteStore extends Store {
  /** Maximum occupancy announced with occupancy figures. */
  readonly capacity: number;
  /** Runs `fn` in one transaction: commits when it resolves, rolls back and rethrows when it throws. */
  transaction<T>(fn: (tx: StoreTx) => Promise<T>): Promise<T>;
}

export interface StoreTx {
  /** Runs `fn` inside a savepoint: on a throw, everything `fn` wrote is undone and the error rethrown. */
  savepoint<T>(fn: () => Promise<T>): Promise<T>;

  /** The recorded outcomes of those ids that were processed before. */
  findProcessed(ids: readonly string[]): Promise<Map<string, ProcessedRecord>>;
  recordProcessed(rows: readonly ProcessedRecord[], processedAt: number): Promise<void>;

  membersById(ids: readonly string[]): Promise<Map<string, MemberRecord>>;
  /** Which of these membership numbers are taken. */
  takenMembershipNumbers(numbers: readonly string[]): Promise<Set<string>>;
  /** Hands out `count` fresh sequential membership numbers. */
  nextMembershipNumbers(count: number): Promise<string[]>;
  insertMembers(rows: readonly MemberRecord[]): Promise<void>;
  /** Overwrites existing members with these full rows (multi-row upsert on id). */
  saveMembers(rows: readonly MemberRecord[]): Promise<void>;

  /** Sets `lastVisitAt` of existing members (one UPDATE ... FROM VALUES; other columns untouched). */
  setLastVisits(rows: readonly { memberId: string; at: number }[]): Promise<void>;

  /** Open visit per member id, for those members that have one. */
  openVisits(memberIds: readonly string[]): Promise<Map<string, VisitRecord>>;
  insertVisits(rows: readonly VisitRecord[]): Promise<void>;
  /** Writes `checkedOutAt` of existing visits (multi-row upsert on id). */
  saveVisits(rows: readonly VisitRecord[]): Promise<void>;

  upsertClientStats(rows: readonly ClientStatsRow[]): Promise<void>;

  /** Appends audit rows (multi-row insert); the audit trail has no update or delete. */
  recordAudit(rows: readonly AuditRecord[]): Promise<void>;

  /**
   * What a batch of check-ins needs to know about clubs, in three set-based reads: every club in
   * order (the first is the default), the club of each of these desks that was set up, and the
   * open visits per club now.
   */
  clubContext(deskIds: readonly string[]): Promise<ClubContext>;
  /** Open visits, visits started since UTC midnight of `now` and capacity, for each of these clubs. */
  clubOccupancyCounts(now: number, clubIds: readonly string[]): Promise<Map<string, ClubCounts>>;

  /**
   * Logs the transaction's events (seqs assigned) with its commit, the durable history resume reads
   * after a restart (and other nodes fill gaps from); trims the log to its count bound as it goes.
   */
  recordEvents(events: readonly ServerEvent[], at: number): Promise<void>;

  /** Reserves `count` global event seqs under the row lock of the counter; returns the first. */
  reserveEventSeqs(count: number): Promise<number>;
  /** Open visits now and visits started since UTC midnight of `now`. */
  occupancyCounts(now: number): Promise<{ current: number; todayTotal: number }>;
}

/**
 * A transaction as its store drives it: the {@link StoreTx} the consumer writes through, plus the
 * hooks the store calls once the transaction has ended. A dialect that keeps state across
 * transactions (SQLite's write cache) applies or drops its staged changes here; others do nothing.
 */
export interface DialectTx extends StoreTx {
  /** After COMMIT succeeded: what the transaction staged is now true. */
  committed(): void;
  /** After ROLLBACK or a failed COMMIT: nothing staged is true. */
  abandoned(): void;
}
