import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Backoff, backoffCapMs, backoffDelayMs } from './backoff.js';

describe('backoff', () => {
  it('doubles the cap from 1 s and stops at 5 s', () => {
    expect([0, 1, 2, 3, 4, 5, 6, 50].map((a) => backoffCapMs(a))).toEqual([
      1_000, 2_000, 4_000, 5_000, 5_000, 5_000, 5_000, 5_000,
    ]);
  });

  it('spreads delays over the whole window (full jitter)', () => {
    expect(backoffDelayMs(3, () => 0)).toBe(0);
    expect(backoffDelayMs(2, () => 0.5)).toBe(2_000);
    expect(backoffDelayMs(2, () => 0.999_999)).toBe(3_999);
  });

  it('never waits past the cap, whatever the attempt and the random value', () => {
    fc.assert(
      fc.property(
        fc.nat(1_000),
        fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
        (attempt, r) => {
          const d = backoffDelayMs(attempt, () => r);
          expect(d).toBeGreaterThanOrEqual(0);
          expect(d).toBeLessThan(5_000);
          expect(d).toBeLessThan(backoffCapMs(attempt));
        },
      ),
    );
  });

  it('counts attempts and starts over after reset', () => {
    const b = new Backoff(() => 0.5, { baseDelayMs: 100, maxDelayMs: 1_000 });
    expect([b.next(), b.next(), b.next(), b.next(), b.next()]).toEqual([50, 100, 200, 400, 500]);
    expect(b.attempt).toBe(5);
    b.reset();
    expect(b.next()).toBe(50);
  });
});
