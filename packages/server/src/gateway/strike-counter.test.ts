import { describe, expect, it } from 'vitest';
import { StrikeCounter } from './strike-counter.js';

describe('StrikeCounter', () => {
  it('reports the limit once enough strikes fall inside the window', () => {
    let now = 0;
    const s = new StrikeCounter(3, 1000, () => now);
    expect(s.hit()).toBe(false);
    now += 100;
    expect(s.hit()).toBe(false);
    expect(s.hit()).toBe(true);
  });

  it('forgets strikes older than the window', () => {
    let now = 0;
    const s = new StrikeCounter(3, 1000, () => now);
    s.hit();
    s.hit();
    now += 1500;
    expect(s.hit()).toBe(false);
    expect(s.count()).toBe(1);
  });
});
