import { describe, expect, it } from 'vitest';
import { fitsJsonBudget } from './json-budget.js';

describe('fitsJsonBudget', () => {
  it('agrees with JSON.stringify at the boundary', () => {
    const samples: unknown[] = [
      {
        quality: { score: 88, latency: 90 },
        latencyMs: { avg: 12.5 },
        state: 'connected',
        ok: true,
        n: null,
      },
      [1, 'two', { three: [3, 3, 3] }, [], {}],
      'with "quotes" and \\ slashes\n',
      { 'key "quoted"': 'x' },
    ];
    for (const value of samples) {
      const size = JSON.stringify(value).length;
      expect(fitsJsonBudget(value, size)).toBe(true);
      expect(fitsJsonBudget(value, size - 1)).toBe(false);
    }
  });

  it('gives up early on a huge object and never overflows on a deep one', () => {
    const huge = {
      blob: 'x'.repeat(1_000_000),
      many: Object.fromEntries([...Array(100_000)].map((_, i) => [i, i])),
    };
    const started = performance.now();
    expect(fitsJsonBudget(huge, 4096)).toBe(false);
    expect(performance.now() - started).toBeLessThan(50);
    let deep: unknown = {};
    for (let i = 0; i < 100_000; i++) deep = { d: deep };
    expect(fitsJsonBudget(deep, 1_000_000)).toBe(false);
  });
});
