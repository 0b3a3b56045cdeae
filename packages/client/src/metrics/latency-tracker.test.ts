import { describe, expect, it } from 'vitest';
import { LatencyTracker, percentile } from './latency-tracker.js';

describe('LatencyTracker', () => {
  it('reports zeros before the first sample', () => {
    expect(new LatencyTracker().snapshot()).toEqual({
      lastMs: 0,
      avgMs: 0,
      p50Ms: 0,
      p95Ms: 0,
      count: 0,
      samples: [],
    });
  });

  it('keeps the last 100 samples, oldest first', () => {
    const t = new LatencyTracker();
    for (let i = 1; i <= 250; i++) t.record(i);
    const s = t.snapshot();
    expect(s.count).toBe(100);
    expect(s.samples[0]).toBe(151);
    expect(s.samples[99]).toBe(250);
    expect(s.lastMs).toBe(250);
    expect(s.avgMs).toBe(200.5);
  });

  it('computes p50 and p95 by nearest rank', () => {
    const t = new LatencyTracker();
    for (let i = 100; i >= 1; i--) t.record(i);
    const s = t.snapshot();
    expect(s.p50Ms).toBe(50);
    expect(s.p95Ms).toBe(95);
    expect(percentile([7], 95)).toBe(7);
  });

  it('ignores negative and non-finite samples', () => {
    const t = new LatencyTracker(3);
    t.record(-1);
    t.record(Number.NaN);
    t.record(5);
    expect(t.snapshot().samples).toEqual([5]);
  });
});
