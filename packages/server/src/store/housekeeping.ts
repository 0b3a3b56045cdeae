import type { Logger } from 'pino';
import type { Clock } from '../clock.js';
import type { HistoryStore } from '../history/history-store.js';
import type { StoreFileFigures, StoreMaintenance, StoreRowCounts } from './store-maintenance.js';

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

/** The retention windows and bounds of {@link Housekeeper}; each has an environment variable (config.ts). */
export interface RetentionPolicy {
  /** How long an idempotency record is kept (default 7 days): longer than any client resends an id. */
  processedRetentionMs: number;
  /** Desk stats not updated for this long are deleted (default 24 h). */
  clientStatsRetentionMs: number;
  /** At most this many desk stats rows are kept; past it the least recently updated go (default 1,000). */
  maxClientStatsRows: number;
}

export const DEFAULT_RETENTION: RetentionPolicy = {
  processedRetentionMs: 7 * DAY_MS,
  clientStatsRetentionMs: 24 * HOUR_MS,
  maxClientStatsRows: 1_000,
};

export interface HousekeeperOptions {
  maintenance: StoreMaintenance;
  logger: Logger;
  clock: Clock;
  retention?: Partial<RetentionPolicy>;
  /** Time between passes (default 60,000 ms); 0: never on a timer (`runOnce` only). */
  intervalMs?: number;
  /** Rows per delete statement (default 2,000: a few ms of the SQLite writer). */
  chunkRows?: number;
  /** Delete statements per table per pass at most (default 100); the rest waits for the next pass. */
  maxChunksPerPass?: number;
  /** The monitor's history: each pass downsamples it (10 s -> 1 min -> 1 h) and deletes what is past retention. */
  history?: HistoryStore;
}

export type RetainedTable =
  | 'processed_messages'
  | 'staff_sessions'
  | 'client_stats'
  | 'event_log'
  | 'history_samples'
  | 'alert_log';

/** Resolved alerts are kept this long (the 1 h history rows are kept as long). */
export const ALERT_LOG_RETENTION_MS = 90 * 86_400_000;

export interface HousekeepingReport {
  deleted: Record<RetainedTable, number>;
  rows: StoreRowCounts;
  durationMs: number;
}

/** What `/metrics` shows of the store. */
export interface StoreMetricFigures {
  /** Row counts as of the last pass (undefined before the first). */
  rows: StoreRowCounts | undefined;
  files: StoreFileFigures;
  deletedTotal: Record<RetainedTable, number>;
  passes: { ok: number; failed: number };
}

const yieldToWriters = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * Keeps the store from growing without bound: every `intervalMs` it deletes idempotency records
 * past their retention window (a sweep over the primary key that each pass resumes), expired
 * sessions, stale desk stats and events past the history window (its age; the writers keep its count), in statements over at most `chunkRows` rows with a turn of the
 * event loop between them (the consumer's transactions go first), then truncates the SQLite WAL
 * and counts rows for `/metrics`. Passes never overlap;
 * `stop()` ends the timer and waits for a pass in progress.
 * @example
 * const housekeeper = new Housekeeper({ maintenance: store.maintenance, logger, clock: systemClock });
 * housekeeper.start();
 * await housekeeper.stop();
 */
export class Housekeeper {
  readonly #o: Required<Omit<HousekeeperOptions, 'retention' | 'history'>> & {
    history: HistoryStore | undefined;
  };
  readonly #retention: RetentionPolicy;
  #timer: unknown;
  #running: Promise<unknown> | undefined;
  #stopped = false;
  #rows: StoreRowCounts | undefined;
  /** Where the sweep over idempotency records goes on (undefined: from the first id). */
  #sweepAfter: string | undefined;
  readonly #deletedTotal: Record<RetainedTable, number> = {
    processed_messages: 0,
    staff_sessions: 0,
    client_stats: 0,
    event_log: 0,
    history_samples: 0,
    alert_log: 0,
  };
  readonly #passes = { ok: 0, failed: 0 };

  constructor(options: HousekeeperOptions) {
    this.#o = {
      maintenance: options.maintenance,
      logger: options.logger,
      clock: options.clock,
      intervalMs: Math.max(0, options.intervalMs ?? 60_000),
      chunkRows: Math.max(1, options.chunkRows ?? 2_000),
      maxChunksPerPass: Math.max(1, options.maxChunksPerPass ?? 100),
      history: options.history,
    };
    this.#retention = { ...DEFAULT_RETENTION, ...options.retention };
  }

  /** Runs a first pass now and then one every `intervalMs` (nothing when it is 0). */
  start(): void {
    if (this.#o.intervalMs === 0 || this.#stopped) return;
    this.#schedule(0);
  }

  /** Stops the timer and waits for a pass in progress (it stops at its next chunk). */
  async stop(): Promise<void> {
    this.#stopped = true;
    if (this.#timer !== undefined) this.#o.clock.clearTimeout(this.#timer);
    this.#timer = undefined;
    await this.#running?.catch(() => {});
  }

  /** One pass at `now` (default: the clock's). Throws what the store threw; figures stay as they were. */
  runOnce(now = this.#o.clock.now()): Promise<HousekeepingReport> {
    const pass = (this.#running ?? Promise.resolve()).catch(() => {}).then(() => this.#pass(now));
    this.#running = pass;
    return pass;
  }

  /** Row counts, file sizes and deletion totals for `/metrics` (file sizes read now). */
  async figures(): Promise<StoreMetricFigures> {
    return {
      rows: this.#rows,
      files: await this.#o.maintenance.fileFigures(),
      deletedTotal: { ...this.#deletedTotal },
      passes: { ...this.#passes },
    };
  }

  #schedule(delayMs: number): void {
    this.#timer = this.#o.clock.setTimeout(() => {
      this.#timer = undefined;
      if (this.#stopped) return;
      this.runOnce()
        .then(
          (report) => this.#o.logger.debug(report, 'housekeeping pass'),
          (err: unknown) =>
            this.#o.logger.warn({ err }, 'housekeeping pass failed; trying again next interval'),
        )
        .finally(() => {
          if (!this.#stopped) this.#schedule(this.#o.intervalMs);
        });
    }, delayMs);
  }

  async #pass(now: number): Promise<HousekeepingReport> {
    const started = performance.now();
    const m = this.#o.maintenance;
    const r = this.#retention;
    try {
      const deleted: Record<RetainedTable, number> = {
        processed_messages: await this.#sweep(now - r.processedRetentionMs),
        staff_sessions: await this.#drain('staff_sessions', (limit) => m.deleteExpiredSessions(now, limit)),
        client_stats: await this.#drain('client_stats', (limit) =>
          m.deleteClientStats(now - r.clientStatsRetentionMs, r.maxClientStatsRows, limit),
        ),
        event_log: await this.#drain('event_log', (limit) => m.trimEvents(now, limit)),
        ...(await this.#history(now)),
      };
      if (!this.#stopped) await m.truncateLog();
      const rows = await m.rowCounts();
      this.#rows = rows;
      this.#passes.ok += 1;
      return { deleted, rows, durationMs: Math.round(performance.now() - started) };
    } catch (error) {
      this.#passes.failed += 1;
      throw error;
    }
  }

  /**
   * Walks the idempotency records `chunkRows` ids at a time from where the last pass stopped, deleting
   * the expired ones, until the end of the table (the next pass starts over), the pass's bound, or stop().
   */
  async #sweep(before: number): Promise<number> {
    let total = 0;
    for (let chunk = 0; chunk < this.#o.maxChunksPerPass && !this.#stopped; chunk++) {
      const step = await this.#o.maintenance.sweepProcessed(before, this.#sweepAfter, this.#o.chunkRows);
      total += step.deleted;
      this.#deletedTotal.processed_messages += step.deleted;
      this.#sweepAfter = step.next;
      if (step.next === undefined) break;
      await yieldToWriters();
    }
    return total;
  }

  /** Downsampling first (the rows it reads are younger than any retention), then retention. */
  async #history(now: number): Promise<Pick<Record<RetainedTable, number>, 'history_samples' | 'alert_log'>> {
    const h = this.#o.history;
    if (!h) return { history_samples: 0, alert_log: 0 };
    await h.downsample(now);
    return {
      history_samples: await this.#drain('history_samples', (limit) => h.prune(now, limit)),
      alert_log: await this.#drain('alert_log', (limit) =>
        h.pruneAlerts(now - ALERT_LOG_RETENTION_MS, limit),
      ),
    };
  }

  /** Deletes chunk after chunk until one comes back empty, the pass's bound is hit, or stop(). */
  async #drain(
    table: Exclude<RetainedTable, 'processed_messages'>,
    deleteChunk: (limit: number) => Promise<number>,
  ): Promise<number> {
    let total = 0;
    for (let chunk = 0; chunk < this.#o.maxChunksPerPass && !this.#stopped; chunk++) {
      const n = await deleteChunk(this.#o.chunkRows);
      total += n;
      this.#deletedTotal[table] += n;
      if (n === 0) break;
      await yieldToWriters();
    }
    return total;
  }
}
