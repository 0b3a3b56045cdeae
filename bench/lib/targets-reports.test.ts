import { describe, expect, it } from 'vitest';
import type { BenchResult } from './result.js';
import { REPORT_BENCH_NAMES, reportsTargets, reportVariant } from './targets-reports.js';

function rows(family: string, p95Ms: (i: number) => number): BenchResult[] {
  return (['chain', 'club'] as const).flatMap((scope, s) =>
    REPORT_BENCH_NAMES.map((name, i) => ({
      scenario: 'reports' as const,
      variant: reportVariant(family, name, scope),
      p95Ms: p95Ms(s * 10 + i),
    })),
  );
}

describe('reportsTargets', () => {
  it('holds when every report of a store is under 300 ms at p95, and names the slowest', () => {
    const [sqlite] = reportsTargets(rows('sqlite', (i) => 100 + i));
    expect(sqlite?.holds).toBe(true);
    expect(sqlite?.measured).toBe('slowest sqlite members-per-month (club, 365 days): 115 ms');
  });

  it('fails when one report reaches 300 ms, and is undecided without every row', () => {
    const slow = rows('postgres', (i) => (i === 3 ? 300 : 50));
    expect(reportsTargets(slow)[1]?.holds).toBe(false);
    expect(reportsTargets(slow.slice(1))[1]?.holds).toBeUndefined();
    expect(reportsTargets([])[0]?.measured).toBe('n/a (npm run bench -- --only=reports)');
  });
});
