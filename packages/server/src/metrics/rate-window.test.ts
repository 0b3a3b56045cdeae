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

describe('RateWindow key bound', () => {
  it('holds at most maxKeys keys, evicting the one updated longest ago', () => {
    let now = 0;
    const w = new RateWindow(() => now, 10, 3);
    w.add('a');
    now += 1000;
    w.add('b');
    w.add('c');
    now += 1000;
    w.add('a');
    w.add('d');
    expect(w.size).toBe(3);
    expect(Object.keys(w.total()).sort()).toEqual(['a', 'c', 'd']);
    expect(w.evicted).toBe(1);
  });

  it('stays bounded under 20,000 distinct keys', () => {
    const w = new RateWindow(() => 0);
    for (let i = 0; i < 20_000; i++) w.add(`type-${i}`);
    expect(w.size).toBe(64);
    expect(Object.keys(w.rates())).toHaveLength(64);
  });
});
