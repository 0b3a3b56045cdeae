import { describe, expect, it } from 'vitest';
import { QUALITY_WINDOW_BUCKETS, QualityWindow } from './quality-window.js';

function clocked(windowMs?: number) {
  let t = 1_000_000;
  const w = new QualityWindow(() => t, windowMs);
  return { w, advance: (ms: number) => (t += ms) };
}

describe('QualityWindow', () => {
  it('counts lost over settled messages, resends that succeeded count as delivered', () => {
    const { w } = clocked();
    for (let i = 0; i < 10; i++) w.settled(false); // ten in flight during a cut, delivered once afterwards
    expect(w.counts()).toEqual({ settled: 10, lost: 0, reconnects: 0, dropRate: 0 });
    w.settled(true);
    w.settled(true);
    expect(w.counts().dropRate).toBeCloseTo(2 / 12);
  });

  it('is 0 with nothing settled', () => {
    expect(clocked().w.counts().dropRate).toBe(0);
  });

  it('keeps an event for the whole window and forgets it one bucket after', () => {
    const windowMs = 300_000;
    const bucketMs = windowMs / QUALITY_WINDOW_BUCKETS;
    const { w, advance } = clocked(windowMs);
    w.settled(true);
    w.reconnected();
    advance(windowMs - bucketMs); // still the last bucket of the window
    expect(w.counts()).toMatchObject({ lost: 1, reconnects: 1 });
    advance(bucketMs);
    expect(w.counts()).toEqual({ settled: 0, lost: 0, reconnects: 0, dropRate: 0 });
  });

  it('takes the window length from its options', () => {
    const { w, advance } = clocked(60_000);
    w.reconnected();
    advance(59_000);
    expect(w.counts().reconnects).toBe(1);
    advance(1_000);
    expect(w.counts().reconnects).toBe(0);
  });

  it('holds a bounded number of buckets however long it runs', () => {
    const { w, advance } = clocked(30_000); // 100 ms buckets
    for (let i = 0; i < 5_000; i++) {
      w.settled(i % 2 === 0);
      advance(7);
    }
    const c = w.counts();
    expect(c.settled).toBeLessThanOrEqual(30_000 / 7 + 1);
    expect(c.settled).toBeGreaterThan(0);
  });

  it('refuses a window that is not positive', () => {
    expect(() => new QualityWindow(() => 0, 0)).toThrow(/windowMs/);
    expect(() => new QualityWindow(() => 0, Number.NaN)).toThrow(/windowMs/);
  });
});
