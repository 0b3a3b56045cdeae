import { join } from 'node:path';
import {
  backtest,
  createPostgresStore,
  createSqliteStore,
  ForecastService,
  fitHoltWinters,
  occupancySeries,
  ReportsService,
} from '@av-gym/server';
import { pino } from 'pino';
import type { BenchContext } from '../lib/context.js';
import { createBenchDatabase, pgAvailable, pgServerUrl } from '../lib/pg-db.js';
import { progress } from '../lib/progress.js';
import { REPORT_BENCH_NAMES, REPORTS_VISITS, reportVariant } from '../lib/targets-reports.js';

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;
const CLUBS = ['main', 'north', 'south'];
const MEMBERS = 30_000;
const CHUNK = 20_000;

/** mulberry32, so every run writes the same year. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** Relative visits per local hour: weekday peaks before work and after it, a flatter weekend. */
const WEEKDAY = [0, 0, 0, 0, 0, 1, 5, 9, 8, 5, 4, 4, 5, 4, 3, 4, 6, 10, 11, 9, 6, 3, 1, 0];
const WEEKEND = [0, 0, 0, 0, 0, 0, 1, 2, 4, 6, 7, 7, 6, 5, 5, 5, 4, 4, 3, 2, 1, 0, 0, 0];
const cumulative = (w: number[]) => {
  let s = 0;
  const c = w.map((v) => (s += v));
  return c.map((v) => v / s);
};
const WEEKDAY_C = cumulative(WEEKDAY);
const WEEKEND_C = cumulative(WEEKEND);

interface Fixture {
  members: Record<string, unknown>[];
  visits: Record<string, unknown>[];
}

/** A year of visits ending at `end` for three clubs (January busy, summer dip) and their members. */
export function buildYear(end: number, visits: number): Fixture {
  const random = prng(17);
  const start = end - 365 * DAY_MS;
  const members = Array.from({ length: MEMBERS }, (_, i) => {
    const createdAt = end - Math.floor(random() * 730) * DAY_MS;
    const lastVisitAt = random() < 0.1 ? null : end - Math.floor(random() * 90 * DAY_MS);
    const expires = new Date(end + Math.floor((random() * 2 - 0.6) * 365) * DAY_MS)
      .toISOString()
      .slice(0, 10);
    return {
      id: `bm${String(i).padStart(6, '0')}`,
      membershipNumber: `B${String(i).padStart(6, '0')}`,
      name: `Member ${i}`,
      email: null,
      phone: null,
      plan: 'standard',
      status: 'active',
      expiresAt: expires,
      notes: '',
      version: 1,
      lastVisitAt,
      createdAt,
      updatedAt: createdAt,
      homeClubId: CLUBS[i % 3],
    };
  });
  const out: Record<string, unknown>[] = [];
  for (let i = 0; out.length < visits; i++) {
    const day = Math.floor(random() * 365);
    const dayStart = start + day * DAY_MS;
    const month = new Date(dayStart).getUTCMonth();
    const season = month === 0 ? 1.15 : month === 6 || month === 7 ? 0.75 : 1;
    if (random() > season / 1.15) continue;
    const weekday = (new Date(dayStart).getUTCDay() + 6) % 7;
    const c = weekday < 5 ? WEEKDAY_C : WEEKEND_C;
    const r = random();
    const hour = c.findIndex((v) => v >= r);
    const checkedInAt = dayStart + hour * HOUR_MS + Math.floor(random() * HOUR_MS);
    const m = Math.floor(random() * MEMBERS);
    out.push({
      id: `bv${String(out.length).padStart(8, '0')}`,
      memberId: `bm${String(m).padStart(6, '0')}`,
      deskId: null,
      checkedInAt,
      checkedOutAt: checkedInAt + (30 + Math.floor(random() * 90)) * 60_000,
      clubId: CLUBS[m % 3],
    });
  }
  return { members, visits: out };
}

function percentile(sorted: readonly number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] ?? 0;
}

type AnyStore = ReturnType<typeof createSqliteStore>;

async function fill(store: AnyStore, fixture: Fixture): Promise<number> {
  const t0 = performance.now();
  // biome-ignore lint/suspicious/noExplicitAny: bench rows carry the store's record fields
  const rows = fixture as { members: any[]; visits: any[] };
  for (let i = 0; i < rows.members.length; i += CHUNK)
    await store.transaction((tx) => tx.insertMembers(rows.members.slice(i, i + CHUNK)));
  for (let i = 0; i < rows.visits.length; i += CHUNK)
    await store.transaction((tx) => tx.insertVisits(rows.visits.slice(i, i + CHUNK)));
  return performance.now() - t0;
}

async function timeReports(ctx: BenchContext, family: string, store: AnyStore, end: number): Promise<void> {
  const reports = new ReportsService(store.reports, () => end);
  const to = new Date(end - DAY_MS).toISOString().slice(0, 10);
  const from = new Date(end - 365 * DAY_MS).toISOString().slice(0, 10);
  const runs = ctx.quick ? 5 : 20;
  for (const scope of ['chain', 'club'] as const) {
    const range = await reports.resolve({
      from,
      to,
      tz: 'Europe/Berlin',
      ...(scope === 'club' ? { club: 'main' } : {}),
    });
    for (const name of REPORT_BENCH_NAMES) {
      await reports.report(name, range); // warm the cache and the plan
      const times: number[] = [];
      for (let i = 0; i < runs; i++) {
        const t0 = performance.now();
        await reports.report(name, range);
        times.push(performance.now() - t0);
      }
      times.sort((a, b) => a - b);
      const variant = reportVariant(family, name, scope);
      ctx.add({
        scenario: 'reports',
        variant,
        p50Ms: percentile(times, 0.5),
        p95Ms: percentile(times, 0.95),
        maxMs: times[times.length - 1] ?? 0,
        note: `${runs} runs, ${from}..${to}${scope === 'club' ? ', one of three clubs' : ', three clubs'}`,
      });
      progress(`  ${variant}: p95 ${percentile(times, 0.95).toFixed(1)} ms`);
    }
  }
  // The forecast: its SQL (eight weeks of visits) and the fit alone.
  const forecasts = new ForecastService({
    reports: store.reports,
    history: store.history,
    now: () => end,
    capacityMsgsPerSec: null,
    cacheMs: 0,
  });
  const fitTimes: number[] = [];
  const totalTimes: number[] = [];
  const hourStart = Math.floor(end / HOUR_MS) * HOUR_MS;
  for (let i = 0; i < (ctx.quick ? 3 : 10); i++) {
    const t0 = performance.now();
    await forecasts.occupancy('main');
    totalTimes.push(performance.now() - t0);
    const y = await occupancySeries(store.reports, hourStart - 8 * 168 * HOUR_MS, 8 * 168, 'main');
    const t1 = performance.now();
    fitHoltWinters(y, 168);
    fitTimes.push(performance.now() - t1);
  }
  fitTimes.sort((a, b) => a - b);
  totalTimes.sort((a, b) => a - b);
  ctx.add({
    scenario: 'reports',
    variant: `${family} occupancy forecast (query + fit, 8 weeks hourly)`,
    p50Ms: percentile(totalTimes, 0.5),
    p95Ms: percentile(totalTimes, 0.95),
  });
  ctx.add({
    scenario: 'reports',
    variant: `${family} Holt-Winters fit alone (1,344 h, 126-point grid)`,
    p50Ms: percentile(fitTimes, 0.5),
    p95Ms: percentile(fitTimes, 0.95),
  });
  progress(
    `  forecast: query + fit p95 ${percentile(totalTimes, 0.95).toFixed(1)} ms, fit alone ${percentile(fitTimes, 0.95).toFixed(1)} ms`,
  );
  if (family === 'sqlite') {
    const y = await occupancySeries(store.reports, hourStart - 16 * 168 * HOUR_MS, 16 * 168, 'main');
    const b = backtest(y, 168, 3, 28, 24, 1);
    ctx.add({
      scenario: 'reports',
      variant: 'occupancy backtest, 3 h ahead, 28 daily origins (bench year, one club)',
      note: `MAPE Holt-Winters ${b.modelMape.toFixed(1)} %, naive same hour last week ${b.naiveMape.toFixed(1)} %, 95 % interval coverage ${(b.coverage * 100).toFixed(0)} %`,
    });
    progress(
      `  backtest: HW ${b.modelMape.toFixed(1)} % vs naive ${b.naiveMape.toFixed(1)} %, coverage ${(b.coverage * 100).toFixed(0)} %`,
    );
  }
}

/**
 * Issue 17: every manager report over a year of {@link REPORTS_VISITS} visits (three clubs) on
 * SQLite and PostgreSQL, p95 of 20 runs each (5 with --quick), for the chain and for one club;
 * the occupancy forecast's query and fit. Not part of the default run (`--only=reports`).
 */
export async function runReports(ctx: BenchContext): Promise<void> {
  const end = Date.UTC(2026, 10, 30, 12, 0);
  const visits = ctx.quick ? 200_000 : REPORTS_VISITS;
  const t0 = performance.now();
  const fixture = buildYear(end, visits);
  progress(
    `reports: ${visits.toLocaleString('en-US')} visits, ${MEMBERS.toLocaleString('en-US')} members built in ${((performance.now() - t0) / 1000).toFixed(1)} s`,
  );
  const logger = pino({ level: 'silent' });

  const sqlite = createSqliteStore({ file: join(ctx.freshDir('reports-sqlite'), 'gym.sqlite'), logger });
  try {
    await sqlite.init({ seedDemo: false, now: end });
    progress(`  sqlite filled in ${((await fill(sqlite, fixture)) / 1000).toFixed(1)} s`);
    await timeReports(ctx, 'sqlite', sqlite, end);
  } finally {
    await sqlite.close();
  }

  if (!(await pgAvailable())) {
    progress(`reports: ${pgServerUrl()} does not answer; PostgreSQL skipped (set BENCH_PG_URL)`);
    return;
  }
  const db = await createBenchDatabase('reports');
  const pg = createPostgresStore({ connectionString: db.url, logger, poolSize: 4 });
  try {
    await pg.init({ seedDemo: false, now: end });
    progress(
      `  postgres filled in ${((await fill(pg as unknown as AnyStore, fixture)) / 1000).toFixed(1)} s`,
    );
    await timeReports(ctx, 'postgres', pg as unknown as AnyStore, end);
  } finally {
    await pg.close();
    await db.drop();
  }
}
