import { describe, expect, it } from 'vitest';
import { seededRandom } from '../store/demo-seed.js';
import { backtest, fitHoltWinters, forecastHoltWinters, mape } from './holt-winters.js';

/** Normal noise from a seeded uniform source (Box-Muller). */
function gaussian(random: () => number): () => number {
  return () => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
}

const WEEK = 168;

/** A weekly shape: closed at night, a morning and an evening peak on weekdays, a flatter weekend. */
function weeklyShape(t: number): number {
  const hour = t % 24;
  const day = Math.floor((t % WEEK) / 24);
  if (hour < 6 || hour > 22) return 0;
  const peaks = 30 * Math.exp(-((hour - 8) ** 2) / 3) + 45 * Math.exp(-((hour - 18) ** 2) / 4);
  return day < 5 ? 10 + peaks : 15 + 0.4 * peaks;
}

function series(weeks: number, noiseSd: number, seed: number, trendPerStep = 0): number[] {
  const noise = gaussian(seededRandom(seed));
  return Array.from(
    { length: weeks * WEEK },
    (_, t) => 20 + weeklyShape(t) + trendPerStep * t + noiseSd * noise(),
  );
}

describe('Holt-Winters additive', () => {
  it('recovers a noiseless weekly season: the next week forecast within 0.5 of the truth', () => {
    const y = series(6, 0, 1);
    const fit = fitHoltWinters(y, WEEK);
    const next = forecastHoltWinters(fit, WEEK);
    const truth = Array.from({ length: WEEK }, (_, h) => 20 + weeklyShape(y.length + h));
    const worst = Math.max(...next.map((s, i) => Math.abs(s.mean - (truth[i] as number))));
    expect(worst).toBeLessThan(0.5);
  });

  it('recovers the season under noise (sd 3): mean absolute error of the next day below 2.5', () => {
    const y = series(10, 3, 7);
    const fit = fitHoltWinters(y, WEEK);
    const next = forecastHoltWinters(fit, 24);
    const errors = next.map((s, i) => Math.abs(s.mean - (20 + weeklyShape(y.length + i))));
    expect(errors.reduce((a, b) => a + b, 0) / errors.length).toBeLessThan(2.5);
    // The residual spread estimates the noise.
    expect(fit.residualSd).toBeGreaterThan(2.5);
    expect(fit.residualSd).toBeLessThan(4.5);
  });

  it('follows a trend', () => {
    const y = series(8, 1, 3, 0.05);
    const fit = fitHoltWinters(y, WEEK);
    const [first] = forecastHoltWinters(fit, 1);
    const truth = 20 + weeklyShape(y.length) + 0.05 * y.length;
    expect(Math.abs((first?.mean ?? 0) - truth)).toBeLessThan(4);
  });

  it('puts about 95 % of new noisy points inside the 95 % interval (85-99 % over 8 backtest origins)', () => {
    const y = series(14, 4, 11);
    const result = backtest(y, WEEK, 24, 8, 24, 5);
    expect(result.points).toBe(8 * 24);
    expect(result.coverage).toBeGreaterThan(0.85);
    expect(result.coverage).toBeLessThan(0.995);
  });

  it('widens the interval with the horizon and never goes below the floor', () => {
    const y = series(6, 2, 5);
    const steps = forecastHoltWinters(fitHoltWinters(y, WEEK), 48);
    const width = (i: number) => (steps[i]?.high ?? 0) - (steps[i]?.low ?? 0);
    expect(width(47)).toBeGreaterThanOrEqual(width(0));
    expect(steps.every((s) => s.low >= 0 && s.mean >= s.low && s.high >= s.mean)).toBe(true);
  });

  it('beats the naive same-hour-last-week forecast on a noisy series', () => {
    const result = backtest(series(14, 4, 13), WEEK, 24, 7, 24, 5);
    expect(result.modelMape).toBeLessThan(result.naiveMape);
  });

  it('treats missing points (NaN) as no news', () => {
    const y = series(6, 0, 1);
    for (let t = 300; t < 340; t++) y[t] = Number.NaN;
    const fit = fitHoltWinters(y, WEEK);
    expect(Number.isFinite(fit.level)).toBe(true);
    const [next] = forecastHoltWinters(fit, 1);
    expect(Math.abs((next?.mean ?? 0) - (20 + weeklyShape(y.length)))).toBeLessThan(1);
  });

  it('refuses a series shorter than two seasons', () => {
    expect(() => fitHoltWinters([1, 2, 3], WEEK)).toThrow(RangeError);
  });
});

describe('mape', () => {
  it('skips actual values below the minimum (a closed gym at night has no percentage error)', () => {
    expect(mape([0, 10, 20], [5, 11, 18], 1)).toBeCloseTo(10, 6);
  });
});
