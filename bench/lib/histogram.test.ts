import { describe, expect, it } from 'vitest';
import { Histogram } from './histogram.js';

describe('Histogram', () => {
  it('returns percentiles within 1% of the exact ones', () => {
    const h = new Histogram();
    for (let i = 1; i <= 10_000; i++) h.record(i / 10);
    expect(h.percentile(50)).toBeCloseTo(500, -1);
    expect(Math.abs(h.percentile(99) - 990) / 990).toBeLessThan(0.01);
    expect(h.count).toBe(10_000);
  });

  it('merges what another process recorded', () => {
    const a = new Histogram();
    const b = new Histogram();
    for (let i = 0; i < 100; i++) a.record(1);
    for (let i = 0; i < 100; i++) b.record(100);
    a.merge(JSON.parse(JSON.stringify(b)));
    expect(a.count).toBe(200);
    expect(a.percentile(25)).toBeLessThan(1.01);
    expect(a.percentile(99)).toBeGreaterThan(99);
  });

  it('answers 0 when empty', () => {
    expect(new Histogram().percentile(99)).toBe(0);
  });
});
