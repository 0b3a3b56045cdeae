/**
 * Backtests the forecasts on the demo history (`npm run backtest`): a year of demo visits for the
 * three demo clubs, the same the seed writes, in a temporary SQLite file. Occupancy: 3 hours ahead
 * from an origin every 6 hours over the last 4 weeks, per club and for the chain. Message load: the
 * demo's check-ins and check-outs per second (a fresh install has no load history; two messages a
 * visit stand in for it), 24 hours ahead from each of the last 28 days. Each against the naive
 * forecast "the same hour last week"; MAPE over hours with an actual of at least 1 person (or 1
 * message an hour), and the share of actual values inside the 95 % interval.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { occupancySeries } from '../src/forecast/forecast-service.js';
import { type BacktestResult, backtest } from '../src/forecast/holt-winters.js';
import { REPORT_BUCKET_MS } from '../src/reports/report-store.js';
import { DEMO_CLUBS } from '../src/store/demo-history.js';
import { buildDemoGym } from '../src/store/demo-seed.js';
import { createSqliteStore } from '../src/store/sqlite/create-sqlite-store.js';

const HOUR_MS = 3_600_000;
const WEEK_H = 168;
const now = Date.UTC(2026, 10, 30, 23, 0);
const dir = mkdtempSync(join(tmpdir(), 'av-gym-backtest-'));
const store = createSqliteStore({ file: join(dir, 'backtest.sqlite'), logger: pino({ level: 'silent' }) });
const row = (what: string, r: BacktestResult) =>
  `| ${what} | ${r.origins} | ${r.points} | ${r.modelMape.toFixed(1)} % | ${r.naiveMape.toFixed(1)} % | ${(r.coverage * 100).toFixed(0)} % |`;

try {
  await store.init({ seedDemo: false, now });
  const t0 = performance.now();
  const gym = buildDemoGym(now, 42, { historyDays: 365 });
  await store.transaction(async (tx) => {
    await tx.insertMembers(gym.members);
    await tx.insertVisits(gym.visits);
  });
  const built = performance.now() - t0;
  const hours = 16 * WEEK_H;
  const from = Math.floor(now / HOUR_MS) * HOUR_MS - hours * HOUR_MS;
  const lines = [
    `Demo history: ${gym.visits.length.toLocaleString('en-US')} visits, ${gym.members.length} members (built and written in ${(built / 1000).toFixed(1)} s); 16 weeks hourly fitted.`,
    '',
    '| series | origins | points | Holt-Winters MAPE | naive (same hour last week) MAPE | 95 % interval coverage |',
    '|---|---|---|---|---|---|',
  ];
  for (const club of [undefined, ...DEMO_CLUBS.map((c) => c.id)]) {
    const y = await occupancySeries(store.reports, from, hours, club);
    lines.push(row(`occupancy, 3 h ahead, ${club ?? 'chain'}`, backtest(y, WEEK_H, 3, 112, 6, 1)));
  }
  const range = { fromMs: from, toMs: from + hours * HOUR_MS, now };
  const [ins, outs] = await Promise.all([
    store.reports.visitBuckets(range),
    store.reports.checkOutBuckets(range),
  ]);
  const load = new Array<number>(hours).fill(0);
  const hourOf = (bucket: number) => Math.floor((bucket * REPORT_BUCKET_MS - from) / HOUR_MS);
  for (const b of ins) load[hourOf(b.bucket)] = (load[hourOf(b.bucket)] ?? 0) + b.visits / 3_600;
  for (const b of outs) load[hourOf(b.bucket)] = (load[hourOf(b.bucket)] ?? 0) + b.count / 3_600;
  lines.push(
    row('message load (visit messages/s), 24 h ahead, chain', backtest(load, WEEK_H, 24, 28, 24, 1 / 3_600)),
  );
  process.stdout.write(`${lines.join('\n')}\n`);
} finally {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
}
