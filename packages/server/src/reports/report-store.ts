import type { ReportMember } from '@av-gym/protocol';

/** Visits that started in one 15-minute bucket (`bucket` = floor(checked_in_at / 15 min)). */
export interface VisitBucket {
  bucket: number;
  visits: number;
  /** Of those, visits already closed, and the sum of their stays (ms). */
  closed: number;
  stayMsSum: number;
}

/** Counts per 15-minute bucket of some instant (a visit's check-in or check-out, a member's creation). */
export interface BucketCount {
  bucket: number;
  count: number;
}

/** One club's figures the reports need, or undefined when no such club exists. */
export interface ClubInfo {
  id: string;
  timeZone: string;
}

/** What every report read is limited to: `[fromMs, toMs)` and one club (home club for members), or the chain. */
export interface ReportRange {
  fromMs: number;
  toMs: number;
  club?: string;
  /** The clock of the read (default `Date.now()`): visits older than the seal lag before it are read from the rollup. */
  now?: number;
  /** False when the zone's offset is not a whole number of hours somewhere in the range (the hourly rollup cannot serve it). Default true. */
  hourAligned?: boolean;
  /** How far behind `now` days are rolled up: longer than the oldest check-in time a client may send. Default 8 days. */
  sealLagMs?: number;
}

/** The bucket size of the report reads: every time zone in use is a whole number of 15 minutes off UTC. */
export const REPORT_BUCKET_MS = 900_000;

/**
 * The SQL side of reports and forecasts: aggregates only, so a year of visits comes back as a few
 * thousand rows; turning them into local days and hours is `report-builder.ts`. Contract:
 * `test/contracts/report-store.contract.ts` (SQLite and PostgreSQL).
 */
export interface ReportStore {
  club(id: string): Promise<ClubInfo | undefined>;
  /** Visits started in the range per 15-minute bucket, with closed count and stay sum. */
  visitBuckets(range: ReportRange): Promise<VisitBucket[]>;
  /** Check-outs in the range per 15-minute bucket (the forecast's occupancy series). */
  checkOutBuckets(range: ReportRange): Promise<BucketCount[]>;
  /** Visits open at `at` (started before it, not closed before it). */
  openAt(at: number, club?: string): Promise<number>;
  /** Members created in the range per 15-minute bucket (home club when `club`). */
  joinedBuckets(range: ReportRange): Promise<BucketCount[]>;
  /** Memberships whose expiry date lies in `[fromDate, toDate]` per month `YYYY-MM` (dates `YYYY-MM-DD`). */
  expiriesByMonth(q: {
    fromDate: string;
    toDate: string;
    club?: string;
  }): Promise<{ month: string; count: number }[]>;
  /** Active members with no visit since `since` (and created before it), longest absent first: count and the first `limit`. */
  membersAtRisk(q: {
    since: number;
    club?: string;
    limit: number;
  }): Promise<{ count: number; members: ReportMember[] }>;
  /** Members whose expiry date lies in `[fromDate, toDate]`, soonest first: count and the first `limit`. */
  expiring(q: { fromDate: string; toDate: string; club?: string; limit: number }): Promise<{
    count: number;
    members: ReportMember[];
  }>;
}
