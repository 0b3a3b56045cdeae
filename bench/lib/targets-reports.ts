import { REPORT_NAMES } from '@av-gym/protocol';
import type { BenchResult } from './result.js';
import type { TargetCheck } from './targets.js';

/** Issue 17: visits the reports bench writes (a year, three clubs), and the p95 every report must beat. */
export const REPORTS_VISITS = 1_000_000;
export const REPORT_P95_TARGET_MS = 300;
export const REPORT_BENCH_NAMES = REPORT_NAMES;

/** The row name of one report's timing. */
export const reportVariant = (family: string, name: string, scope: 'chain' | 'club'): string =>
  `${family} ${name} (${scope}, 365 days)`;

/** "Every report under 300 ms at p95", once per store; undecided when the store's rows are missing. */
export function reportsTargets(results: BenchResult[]): TargetCheck[] {
  return ['sqlite', 'postgres'].map((family) => {
    const rows = results.filter(
      (r) => r.scenario === 'reports' && r.variant.startsWith(`${family} `) && r.variant.includes('days)'),
    );
    const worst = rows.reduce<BenchResult | undefined>(
      (w, r) => ((r.p95Ms ?? 0) > (w?.p95Ms ?? -1) ? r : w),
      undefined,
    );
    const expected = REPORT_BENCH_NAMES.length * 2;
    return {
      target: `every report < ${REPORT_P95_TARGET_MS} ms p95 on ${family === 'sqlite' ? 'SQLite' : 'PostgreSQL'} (${REPORTS_VISITS.toLocaleString('en-US')} visits)`,
      measured:
        rows.length < expected || worst?.p95Ms === undefined
          ? 'n/a (npm run bench -- --only=reports)'
          : `slowest ${worst.variant}: ${worst.p95Ms} ms`,
      holds:
        rows.length < expected || worst?.p95Ms === undefined ? undefined : worst.p95Ms < REPORT_P95_TARGET_MS,
    };
  });
}
