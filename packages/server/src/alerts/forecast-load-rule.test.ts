import { describe, expect, it } from 'vitest';
import { DEFAULT_ALERT_THRESHOLDS, evaluateRules, type Observation } from './alert-rules.js';

const base: Observation = {
  now: 0,
  node: 'node-a',
  desks: null,
  ackP99Ms: 0,
  queueBytes: 0,
  databaseUp: true,
  brokerUp: true,
};
const at = Date.UTC(2026, 11, 2, 18, 0);

describe('forecast_load_high', () => {
  it('fires when the forecast peak exceeds the configured capacity, naming the hour', () => {
    const out = evaluateRules(
      { ...base, forecastPeak: { mean: 1_200, at } },
      { ...DEFAULT_ALERT_THRESHOLDS, forecastCapacityMsgsPerSec: 1_000 },
    );
    expect(out).toEqual([
      expect.objectContaining({ rule: 'forecast_load_high', subject: 'cluster', value: 1_200, forMs: 0 }),
    ]);
    expect(out[0]?.summary).toBe(
      'Expected load 1200 msgs/s at 18:00 UTC exceeds the measured capacity of 1000 msgs/s',
    );
  });

  it('stays quiet under the capacity, without a forecast, and when the capacity is unset (0)', () => {
    const t = { ...DEFAULT_ALERT_THRESHOLDS, forecastCapacityMsgsPerSec: 1_000 };
    expect(evaluateRules({ ...base, forecastPeak: { mean: 999, at } }, t)).toEqual([]);
    expect(evaluateRules({ ...base, forecastPeak: null }, t)).toEqual([]);
    expect(evaluateRules({ ...base, forecastPeak: { mean: 5_000, at } }, DEFAULT_ALERT_THRESHOLDS)).toEqual(
      [],
    );
  });
});
