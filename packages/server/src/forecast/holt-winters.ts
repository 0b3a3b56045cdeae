/**
 * Holt-Winters additive exponential smoothing (level, trend, one season), fitted by a grid search
 * on the one-step-ahead squared error, with a prediction interval from the one-step residuals.
 * Pure and synchronous: the series in, the forecast out. Missing points (NaN) take the model's own
 * forecast, so a gap neither moves the state nor counts as error.
 */

export interface HoltWintersParams {
  alpha: number;
  beta: number;
  gamma: number;
}

export interface HoltWintersFit {
  params: HoltWintersParams;
  seasonLength: number;
  level: number;
  trend: number;
  /** The seasonal term of each position of the season; `season[t % m]` belongs to time step t. */
  season: number[];
  /** Steps in the fitted series. */
  length: number;
  /** Root mean square of the one-step errors after the first season. */
  residualSd: number;
}

export interface ForecastStep {
  /** Steps after the last fitted point (1 = the next). */
  h: number;
  mean: number;
  low: number;
  high: number;
}

const ALPHAS = [0.02, 0.05, 0.1, 0.2, 0.3, 0.5, 0.7];
const BETAS = [0, 0.005, 0.02];
const GAMMAS = [0.02, 0.05, 0.1, 0.2, 0.3, 0.5];
/** Two-sided 95 % normal quantile. */
export const Z95 = 1.959964;

function mean(values: readonly number[]): number {
  let s = 0;
  let c = 0;
  for (const v of values) {
    if (Number.isFinite(v)) {
      s += v;
      c += 1;
    }
  }
  return c === 0 ? 0 : s / c;
}

interface Run {
  sse: number;
  count: number;
  level: number;
  trend: number;
  season: number[];
}

function run(y: readonly number[], m: number, p: HoltWintersParams): Run {
  const first = y.slice(0, m);
  let level = mean(first);
  const second = y.length >= 2 * m ? mean(y.slice(m, 2 * m)) : level;
  let trend = (second - level) / m;
  const season = first.map((v) => (Number.isFinite(v) ? v - level : 0));
  let sse = 0;
  let count = 0;
  for (let t = m; t < y.length; t++) {
    const i = t % m;
    const s = season[i] as number;
    const predicted = level + trend + s;
    const raw = y[t] as number;
    const actual = Number.isFinite(raw) ? raw : predicted;
    const e = actual - predicted;
    sse += e * e;
    if (Number.isFinite(raw)) count += 1;
    const nextLevel = p.alpha * (actual - s) + (1 - p.alpha) * (level + trend);
    trend = p.beta * (nextLevel - level) + (1 - p.beta) * trend;
    season[i] = p.gamma * (actual - nextLevel) + (1 - p.gamma) * s;
    level = nextLevel;
  }
  return { sse, count, level, trend, season };
}

/**
 * Fits the model to `y` with season `seasonLength` (needs at least two seasons). `params` skips the
 * grid search.
 */
export function fitHoltWinters(
  y: readonly number[],
  seasonLength: number,
  params?: HoltWintersParams,
): HoltWintersFit {
  if (y.length < 2 * seasonLength)
    throw new RangeError(`need at least ${2 * seasonLength} points, got ${y.length}`);
  let best: { p: HoltWintersParams; r: Run } | undefined;
  const grid = params
    ? [params]
    : ALPHAS.flatMap((alpha) => BETAS.flatMap((beta) => GAMMAS.map((gamma) => ({ alpha, beta, gamma }))));
  for (const p of grid) {
    const r = run(y, seasonLength, p);
    if (!best || r.sse < best.r.sse) best = { p, r };
  }
  const { p, r } = best as { p: HoltWintersParams; r: Run };
  return {
    params: p,
    seasonLength,
    level: r.level,
    trend: r.trend,
    season: r.season,
    length: y.length,
    residualSd: r.count === 0 ? 0 : Math.sqrt(r.sse / r.count),
  };
}

/**
 * The next `horizon` steps with a 95 % interval. The h-step variance is the additive model's
 * σ²·(1 + Σ_{j<h} (α(1 + jβ) + γ·[j ≡ 0 mod m])²) (Hyndman et al., class 1 state space models).
 * `floor` clamps mean and bounds (counts and rates are never negative).
 */
export function forecastHoltWinters(fit: HoltWintersFit, horizon: number, floor = 0): ForecastStep[] {
  const { alpha, beta, gamma } = fit.params;
  const m = fit.seasonLength;
  const out: ForecastStep[] = [];
  let varianceSum = 1;
  for (let h = 1; h <= horizon; h++) {
    if (h > 1) {
      const j = h - 1;
      const c = alpha * (1 + j * beta) + (j % m === 0 ? gamma : 0);
      varianceSum += c * c;
    }
    const t = fit.length - 1 + h;
    const value = fit.level + h * fit.trend + (fit.season[t % m] as number);
    const half = Z95 * fit.residualSd * Math.sqrt(varianceSum);
    out.push({
      h,
      mean: Math.max(floor, value),
      low: Math.max(floor, value - half),
      high: Math.max(floor, value + half),
    });
  }
  return out;
}

/** Mean absolute percentage error over the points whose actual value is at least `minActual`. */
export function mape(actual: readonly number[], predicted: readonly number[], minActual = 1): number {
  let sum = 0;
  let count = 0;
  actual.forEach((a, i) => {
    const p = predicted[i];
    if (p === undefined || !Number.isFinite(a) || a < minActual) return;
    sum += Math.abs(a - p) / a;
    count += 1;
  });
  return count === 0 ? Number.NaN : (sum / count) * 100;
}

export interface BacktestResult {
  origins: number;
  points: number;
  /** MAPE of the model, percent. */
  modelMape: number;
  /** MAPE of "the same hour one season ago", percent. */
  naiveMape: number;
  /** Share of actual values inside the model's 95 % interval. */
  coverage: number;
}

/**
 * Rolling-origin backtest: at each of `origins` origins (every `stride` steps, ending `horizon`
 * before the series does), fit on everything before the origin and forecast `horizon` steps;
 * the naive baseline repeats the value one season earlier.
 */
export function backtest(
  y: readonly number[],
  seasonLength: number,
  horizon: number,
  origins: number,
  stride: number,
  minActual = 1,
): BacktestResult {
  const actual: number[] = [];
  const model: number[] = [];
  const naive: number[] = [];
  let inside = 0;
  let used = 0;
  for (let k = origins - 1; k >= 0; k--) {
    const origin = y.length - horizon - k * stride;
    if (origin < 2 * seasonLength) continue;
    const fit = fitHoltWinters(y.slice(0, origin), seasonLength);
    const steps = forecastHoltWinters(fit, horizon);
    used += 1;
    for (const s of steps) {
      const t = origin + s.h - 1;
      const a = y[t] as number;
      actual.push(a);
      model.push(s.mean);
      naive.push(y[t - seasonLength] as number);
      if (a >= s.low && a <= s.high) inside += 1;
    }
  }
  return {
    origins: used,
    points: actual.length,
    modelMape: mape(actual, model, minActual),
    naiveMape: mape(actual, naive, minActual),
    coverage: actual.length === 0 ? 0 : inside / actual.length,
  };
}
