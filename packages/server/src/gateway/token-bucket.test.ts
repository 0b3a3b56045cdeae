import { describe, expect, it } from 'vitest';
import { TokenBucket } from './token-bucket.js';

describe('TokenBucket', () => {
  it('allows a burst, then refills at the rate', () => {
    let now = 0;
    const b = new TokenBucket(10, 5, () => now);
    expect(b.take(5)).toBe(true);
    expect(b.take(1)).toBe(false);
    now += 100;
    expect(b.take(1)).toBe(true);
    expect(b.take(1)).toBe(false);
    now += 10_000;
    expect(b.available()).toBe(5);
  });

  it('refuses a frame whole rather than in part', () => {
    let now = 0;
    const b = new TokenBucket(100, 10, () => now);
    expect(b.take(7)).toBe(true);
    expect(b.take(5)).toBe(false);
    expect(b.available()).toBe(3);
    now += 20;
    expect(b.take(5)).toBe(true);
  });

  it('caps the cost of one frame at the burst so a large batch is not refused forever', () => {
    const b = new TokenBucket(1, 4, () => 0);
    expect(b.take(50)).toBe(true);
    expect(b.take(1)).toBe(false);
  });
});

describe('TokenBucket refund', () => {
  it('gives back what a refused frame took, never past the burst', () => {
    const b = new TokenBucket(1, 4, () => 0);
    expect(b.take(3)).toBe(true);
    b.refund(3);
    expect(b.available()).toBe(4);
    b.refund(10);
    expect(b.available()).toBe(4);
  });
});
