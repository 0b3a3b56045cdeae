import { describe, expect, it } from 'vitest';
import { checkTargets } from '../lib/targets.js';
import { pct, peakPer100ms, STORM_TARGET_MS } from './storm.js';

describe('the storm scenario figures', () => {
  it('counts the most returns inside any 100 ms', () => {
    expect(peakPer100ms([])).toBe(0);
    expect(peakPer100ms([0, 50, 99, 100, 250])).toBe(3);
    expect(peakPer100ms([0, 200, 400])).toBe(1);
  });

  it('reads percentiles off sorted samples', () => {
    const sorted = Array.from({ length: 100 }, (_, i) => i + 1);
    expect(pct(sorted, 50)).toBe(51);
    expect(pct(sorted, 99)).toBe(100);
    expect(pct([], 50)).toBeUndefined();
  });

  it('holds the target only when every av-gym variant has every desk resumed within the bound', () => {
    const row = (resumed: number, maxMs: number) => ({
      scenario: 'storm' as const,
      variant: `av-gym, SIGKILL, 2000 desks`,
      desks: 2000,
      resumed,
      maxMs,
    });
    const verdict = (rows: ReturnType<typeof row>[]) =>
      checkTargets(rows).find((t) => t.target.startsWith('reconnect storm'))?.holds;
    expect(verdict([row(2000, STORM_TARGET_MS - 1)])).toBe(true);
    expect(verdict([row(1999, 1000)])).toBe(false);
    expect(verdict([row(2000, STORM_TARGET_MS + 1)])).toBe(false);
    expect(verdict([])).toBeUndefined();
  });
});
