import type { Alert, HistorySeries } from '@av-gym/protocol';

/** Samples land at the start of their 10 s bucket. */
export const SAMPLE_BUCKET_MS = 10_000;

/**
 * How far back a node's or a desk's last sample may lie and still count as current: three
 * sample periods, and never less than two buckets (a sample's time is its bucket's start).
 */
export function freshWindowMs(sampleIntervalMs: number): number {
  return Math.max(3 * sampleIntervalMs, 2 * SAMPLE_BUCKET_MS);
}

/** One figure at one moment: a node's (`node` set) or a desk's (`desk` set). */
export interface HistorySample {
  metric: string;
  desk: string | null;
  node: string | null;
  /** Wall ms; stored at the start of its 10 s bucket. */
  at: number;
  value: number;
}

/** What one history read asks for: `[from, to)` at a stored resolution, aggregated (mean) per step. */
export interface HistoryRead {
  metric: string;
  /** Only this desk / node; undefined: every one. */
  desk?: string;
  node?: string;
  from: number;
  to: number;
  resolutionS: number;
  stepS: number;
  /** Most series returned (the most recent first when more exist). */
  maxSeries: number;
}

/** Result of one downsampling pass: rows written at each coarser resolution. */
export interface DownsampleReport {
  minuteRows: number;
  hourRows: number;
}

/**
 * The bounded time series of the monitor and the alert log, shared by every node of one
 * database (SQLite and PostgreSQL alike; contract: `test/contracts/history-store.contract.ts`).
 * Samples land at 10 s resolution; {@link downsample} folds them into 1 min and 1 h rows in the
 * database; {@link prune} keeps 24 h of 10 s, 7 days of 1 min and 90 days of 1 h.
 */
export interface HistoryStore {
  /** Writes samples at 10 s resolution; a sample for a (metric, desk, node, bucket) already written is kept (first wins: several nodes sample the same desk). */
  record(samples: readonly HistorySample[]): Promise<void>;
  read(q: HistoryRead): Promise<HistorySeries[]>;
  /** Recomputes the 1 min rows of the last 10 complete minutes and the 1 h rows of the last 3 complete hours at `now`. */
  downsample(now: number): Promise<DownsampleReport>;
  /** Deletes at most `limit` rows past their resolution's retention at `now`; returns how many. */
  prune(now: number, limit: number): Promise<number>;
  /** Every node that wrote a sample at or after `since`, with its newest sample time. */
  nodes(since: number): Promise<{ node: string; lastSeenAt: number }[]>;
  /** Inserts or replaces the alert with this id. */
  saveAlert(alert: Alert): Promise<void>;
  /** Alerts not resolved, plus every alert updated at or after `since`, newest first, at most `limit`. */
  alerts(since: number, limit: number): Promise<Alert[]>;
  /** Deletes resolved alerts last updated before `before`, at most `limit`; returns how many. */
  pruneAlerts(before: number, limit: number): Promise<number>;
}
