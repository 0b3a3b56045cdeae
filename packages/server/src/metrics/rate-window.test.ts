import { describe, expect, it } from 'vitest';
import { RateWindow } from './rate-window.js';

describe('RateWindow', () => {
  it('averages counts per second over the window', () => {
    let now = 1_000_000;
    const w = new RateWindow(() => now, 10);
    w.add('check_in', 50);
    now += 1000;
    w.add('check_in', 50);
    w.add('ping');
    expect(w.rates()).toEqual({ check_in: 10, ping: 0.1 });
  });

  it('forgets counts older than the window but keeps totals', () => {
    let now = 0;
    const w = new RateWindow(() => now, 10);
    w.add('x', 100);
    now += 10_000;
    w.add('x', 10);
    expect(w.rates()).toEqual({ x: 1 });
    now += 60_000;
    expect(w.rates()).toEqual({ x: 0 });
    expect(w.total()).toEqual({ x: 110 });
  });
});
