import { FORECAST_HORIZON_H, type ForecastDocument, type ForecastPoint } from '@av-gym/protocol';
import type { HistoryStore } from '../history/history-store.js';
import { REPORT_BUCKET_MS, type ReportStore } from '../reports/report-store.js';
import { type ForecastStep, fitHoltWinters, forecastHoltWinters, Z95 } from './holt-winters.js';

const HOUR_MS = 3_600_000;
const WEEK_H = 168;
const DAY_H = 24;

export interface ForecastServiceOptions {
  reports: ReportStore;
  /** Absent: no load forecast (model `none`). */
  history: HistoryStore | undefined;
  now(): number;
  /** Weeks of visits the occupancy model is fitted to. Default 8. */
  occupancyWeeks?: number;
  /** Days of hourly history the load model is fitted to. Default 56 (the hourly history keeps 90). */
  loadDays?: number;
  /** FORECAST_CAPACITY_MSGS_PER_SEC: the load the deployment was measured to take; null: unset. */
  capacityMsgsPerSec: number | null;
  /** How long a forecast is reused, ms. Default 5 min (the model moves by the hour). */
  cacheMs?: number;
  /** See `ReportRange.sealLagMs`. */
  sealLagMs?: number;
}

/** The model fitted to one hourly series and its next steps. */
export interface SeriesForecast {
  model: ForecastDocument['model'];
  fittedHours: number;
  params: ForecastDocument['params'];
  steps: ForecastStep[];
}

/**
 * Fits the best model the history allows: Holt-Winters with the weekly season from two weeks on,
 * the daily season from two days on, else the mean with a normal interval. NaN marks a missing hour.
 */
export function forecastSeries(y: readonly number[], horizon: number): SeriesForecast {
  const first = y.findIndex(Number.isFinite);
  const series = first < 0 ? [] : y.slice(first);
  const known = series.filter(Number.isFinite);
  const none = { alpha: 0, beta: 0, gamma: 0 };
  if (known.length === 0) return { model: 'none', fittedHours: 0, params: none, steps: [] };
  const season = series.length >= 2 * WEEK_H ? WEEK_H : series.length >= 2 * DAY_H ? DAY_H : 0;
  if (season === 0) {
    const mean = known.reduce((s, v) => s + v, 0) / known.length;
    const sd = Math.sqrt(known.reduce((s, v) => s + (v - mean) ** 2, 0) / known.length);
    const steps = Array.from({ length: horizon }, (_, i) => ({
      h: i + 1,
      mean,
      low: Math.max(0, mean - Z95 * sd),
      high: mean + Z95 * sd,
    }));
    return { model: 'mean', fittedHours: series.length, params: none, steps };
  }
  const fit = fitHoltWinters(series, season);
  return {
    model: season === WEEK_H ? 'holt-winters-168' : 'holt-winters-24',
    fittedHours: series.length,
    params: fit.params,
    steps: forecastHoltWinters(fit, horizon),
  };
}

/**
 * Hourly occupancy from the visits: `y[k]` is the occupancy at `fromMs + (k + 1) h`. Anchored at the
 * end (the visits open then, a small count when the end is recent) and walked back hour by hour
 * through each hour's check-ins and check-outs.
 */
export async function occupancySeries(
  reports: ReportStore,
  fromMs: number,
  hours: number,
  club?: string,
  now?: number,
  sealLagMs?: number,
): Promise<number[]> {
  const toMs = fromMs + hours * HOUR_MS;
  const range = {
    fromMs,
    toMs,
    ...(club !== undefined ? { club } : {}),
    ...(now !== undefined ? { now } : {}),
    ...(sealLagMs !== undefined ? { sealLagMs } : {}),
  };
  const [end, ins, outs] = await Promise.all([
    reports.openAt(toMs, club),
    reports.visitBuckets(range),
    reports.checkOutBuckets(range),
  ]);
  const delta = new Array<number>(hours).fill(0);
  const hourOf = (bucket: number) => Math.floor((bucket * REPORT_BUCKET_MS - fromMs) / HOUR_MS);
  for (const b of ins) {
    const k = hourOf(b.bucket);
    if (k >= 0 && k < hours) delta[k] = (delta[k] ?? 0) + b.visits;
  }
  for (const b of outs) {
    const k = hourOf(b.bucket);
    if (k >= 0 && k < hours) delta[k] = (delta[k] ?? 0) - b.count;
  }
  const y = new Array<number>(hours);
  let level = end;
  for (let k = hours - 1; k >= 0; k--) {
    y[k] = level;
    level -= delta[k] ?? 0;
  }
  return y;
}

/** Expected occupancy per club (next 3 h) and message load (next 24 h), cached a few minutes. */
export class ForecastService {
  readonly #o: ForecastServiceOptions;
  readonly #cache = new Map<string, { at: number; doc: ForecastDocument }>();
  static readonly MAX_CACHED = 128;

  constructor(options: ForecastServiceOptions) {
    this.#o = options;
  }

  get capacityMsgsPerSec(): number | null {
    return this.#o.capacityMsgsPerSec;
  }

  /** The club's (or the chain's) occupancy at the next three whole hours. */
  occupancy(club?: string): Promise<ForecastDocument> {
    return this.#cached(`occupancy:${club ?? '*'}`, async (hourStart) => {
      const hours = (this.#o.occupancyWeeks ?? 8) * WEEK_H;
      const y = await occupancySeries(
        this.#o.reports,
        hourStart - hours * HOUR_MS,
        hours,
        club,
        this.#o.now(),
        this.#o.sealLagMs,
      );
      const f = forecastSeries(y, FORECAST_HORIZON_H.occupancy);
      return this.#document('occupancy', club ?? null, f, (h) => hourStart + h * HOUR_MS, null);
    });
  }

  /** Messages per second (all nodes together) for each of the next 24 hours, from the hourly history. */
  load(): Promise<ForecastDocument> {
    return this.#cached('load', async (hourStart) => {
      const hours = (this.#o.loadDays ?? 56) * DAY_H;
      const from = hourStart - hours * HOUR_MS;
      const y = new Array<number>(hours).fill(Number.NaN);
      const series = this.#o.history
        ? await this.#o.history.read({
            metric: 'messages_per_sec',
            from,
            to: hourStart,
            resolutionS: 3_600,
            stepS: 3_600,
            maxSeries: 200,
          })
        : [];
      for (const s of series) {
        for (const [at, value] of s.points) {
          const k = Math.floor((at - from) / HOUR_MS);
          if (k >= 0 && k < hours) y[k] = (Number.isFinite(y[k]) ? (y[k] as number) : 0) + value;
        }
      }
      const f = forecastSeries(y, FORECAST_HORIZON_H.messages_per_sec);
      // The hourly rows are hour means: step 1 is the hour running now.
      return this.#document(
        'messages_per_sec',
        null,
        f,
        (h) => hourStart + (h - 1) * HOUR_MS,
        this.#o.capacityMsgsPerSec,
      );
    });
  }

  /** The highest expected load of the next 24 h, or null without a forecast. */
  async peakLoad(): Promise<{ mean: number; at: number } | null> {
    const doc = await this.load();
    let peak: ForecastPoint | undefined;
    for (const p of doc.points) if (!peak || p.mean > peak.mean) peak = p;
    return peak ? { mean: peak.mean, at: peak.at } : null;
  }

  #document(
    subject: ForecastDocument['subject'],
    club: string | null,
    f: SeriesForecast,
    at: (h: number) => number,
    capacity: number | null,
  ): ForecastDocument {
    const r = (v: number) => Math.round(v * 100) / 100;
    return {
      subject,
      club,
      model: f.model,
      fittedHours: f.fittedHours,
      params: f.params,
      interval: 0.95,
      points: f.steps.map((s) => ({ at: at(s.h), mean: r(s.mean), low: r(s.low), high: r(s.high) })),
      capacity,
      generatedAt: this.#o.now(),
    };
  }

  async #cached(
    key: string,
    compute: (hourStart: number) => Promise<ForecastDocument>,
  ): Promise<ForecastDocument> {
    const now = this.#o.now();
    const hit = this.#cache.get(key);
    if (hit && now - hit.at < (this.#o.cacheMs ?? 300_000)) return hit.doc;
    const doc = await compute(Math.floor(now / HOUR_MS) * HOUR_MS);
    if (this.#cache.size >= ForecastService.MAX_CACHED) this.#cache.clear();
    this.#cache.set(key, { at: now, doc });
    return doc;
  }
}
