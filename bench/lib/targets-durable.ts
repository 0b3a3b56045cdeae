import type { BenchResult } from './result.js';
import type { RatioRow, TargetCheck } from './targets.js';

/**
 * The targets of issue 15 part B (durable ceiling, PostgreSQL ingest, steady-load ack latency,
 * cross-node fan-out) and the variant names of their rows, which the scenarios write.
 */
export const SQLITE_CEILING = 'sqlite-batched-insert'; // synchronous=FULL, like the av-gym store
/** Socket.IO's ingest row with its SQLite file at synchronous=NORMAL (an ack before the fsync). */
export const SOCKET_IO_NORMAL = 'socket.io, synchronous=NORMAL';
export const PG_CEILING = 'postgres-multi-row-insert';
export const PG_OURS = 'av-gym postgres';
export const PG_IO = 'socket.io postgres';
/** The steady load of the ack-latency target: 5,000 msgs/s from 100 desks, open loop. */
export const STEADY_RATE = 5_000;
export const STEADY_DESKS = 100;
export const STEADY_P99_MS = 15;
export const steadyVariant = (family: string): string =>
  `${family} ack at a steady ${STEADY_RATE.toLocaleString('en-US')} msgs/s, ${STEADY_DESKS} desks`;
export const STEADY_SQLITE = steadyVariant('av-gym sqlite');
export const STEADY_PG = steadyVariant('av-gym postgres');
export const STEADY_IO = steadyVariant('socket.io sqlite');
/** Cross-node fan-out: writer on node 1, dashboards on node 2, PostgreSQL + Redis; the same-run single node beside it. */
export const crossVariant = (dashboards: number, rate: number): string =>
  `av-gym cross-node (2 nodes, redis + postgres) ${dashboards} dashboards, ${rate} events/s`;
export const singleVariant = (dashboards: number, rate: number): string =>
  `av-gym single node (same run) ${dashboards} dashboards, ${rate} events/s`;
/** One node on PostgreSQL + Redis, writer and dashboards on it: what the store and the broker cost without the second node. */
export const singlePgVariant = (dashboards: number, rate: number): string =>
  `av-gym single node on redis + postgres ${dashboards} dashboards, ${rate} events/s`;

const find = (results: BenchResult[], scenario: string, variant: string) =>
  results.find((r) => r.scenario === scenario && r.variant === variant);

const fmt = (v: number | undefined, digits = 0): string =>
  v === undefined ? 'n/a' : v.toLocaleString('en-US', { maximumFractionDigits: digits });

const ratio = (a: number | undefined, b: number | undefined): number | undefined =>
  a === undefined || b === undefined || b === 0 ? undefined : a / b;

const check = (
  target: string,
  measured: string,
  value: number | undefined,
  ok: (v: number) => boolean,
): TargetCheck => ({ target, measured, holds: value === undefined ? undefined : ok(value) });

/** Issue 15 part B's targets, each with the figures of this run that decide it. */
export function durableTargets(results: BenchResult[]): TargetCheck[] {
  const ours = find(results, 'ingest', 'av-gym');
  const io = find(results, 'ingest', 'socket.io');
  const ceiling = find(results, 'ceiling', SQLITE_CEILING);
  const vsCeiling = ratio(ours?.msgsPerSec, ceiling?.msgsPerSec);
  const ioNormal = find(results, 'ingest', SOCKET_IO_NORMAL);
  const vsIo = ratio(ours?.msgsPerSec, io?.msgsPerSec);
  const vsIoNormal = ratio(ours?.msgsPerSec, ioNormal?.msgsPerSec);
  // Judged against the faster Socket.IO of the run (the one at NORMAL, when measured).
  const vsIoWorst =
    vsIoNormal === undefined ? vsIo : vsIo === undefined ? vsIoNormal : Math.min(vsIo, vsIoNormal);
  const pgOurs = find(results, 'ingest', PG_OURS);
  const pgIo = find(results, 'ingest', PG_IO);
  const pgCeiling = find(results, 'ceiling', PG_CEILING);
  const pgVsCeiling = ratio(pgOurs?.msgsPerSec, pgCeiling?.msgsPerSec);
  const pgVsIo = ratio(pgOurs?.msgsPerSec, pgIo?.msgsPerSec);
  const steady = find(results, 'latency', STEADY_SQLITE);
  const steadyPg = find(results, 'latency', STEADY_PG);
  const steadyIo = find(results, 'latency', STEADY_IO);
  const cross = results.find((r) => r.scenario === 'fanout' && r.variant.startsWith('av-gym cross-node'));
  const single = cross
    ? find(
        results,
        'fanout',
        cross.variant.replace(
          /^av-gym cross-node \(2 nodes, redis \+ postgres\)/,
          'av-gym single node (same run)',
        ),
      )
    : undefined;
  const crossVsSingle = ratio(cross?.p99Ms, single?.p99Ms);
  const steadyLine = (r: BenchResult | undefined) =>
    r === undefined
      ? 'n/a'
      : `p50 ${fmt(r.p50Ms, 1)} ms, p99 ${fmt(r.p99Ms, 1)} ms at ${fmt(r.msgsPerSec)} acked/s`;
  return [
    check(
      'durable ingest (issue 15) >= 0.8x the SQLite ceiling, both synchronous=FULL',
      `${fmt(vsCeiling, 2)}x (${fmt(ours?.msgsPerSec)} vs ${fmt(ceiling?.msgsPerSec)} msgs/s)`,
      vsCeiling,
      (v) => v >= 0.8,
    ),
    check(
      'durable ingest (issue 15) >= 3.5x socket.io (judged on the faster of its FULL and NORMAL runs)',
      `${fmt(vsIo, 2)}x socket.io at synchronous=FULL (${fmt(ours?.msgsPerSec)} vs ${fmt(io?.msgsPerSec)} msgs/s); ` +
        `${fmt(vsIoNormal, 2)}x socket.io at NORMAL (${fmt(ioNormal?.msgsPerSec)} msgs/s)`,
      vsIoWorst,
      (v) => v >= 3.5,
    ),
    check(
      'PostgreSQL ingest >= 0.6x the PostgreSQL ceiling (multi-row INSERT, 1,000 per transaction)',
      `${fmt(pgVsCeiling, 2)}x (${fmt(pgOurs?.msgsPerSec)} vs ${fmt(pgCeiling?.msgsPerSec)} msgs/s)`,
      pgVsCeiling,
      (v) => v >= 0.6,
    ),
    check(
      'PostgreSQL ingest >= 3x socket.io on the same PostgreSQL (one statement per message)',
      `${fmt(pgVsIo, 2)}x (${fmt(pgOurs?.msgsPerSec)} vs ${fmt(pgIo?.msgsPerSec)} msgs/s)`,
      pgVsIo,
      (v) => v >= 3,
    ),
    check(
      `ack p99 <= ${STEADY_P99_MS} ms at a steady ${fmt(STEADY_RATE)} msgs/s from ${STEADY_DESKS} desks, SQLite, durable`,
      `${steadyLine(steady)}; PostgreSQL ${steadyLine(steadyPg)}; socket.io ${steadyLine(steadyIo)}`,
      steady?.p99Ms,
      (v) => v <= STEADY_P99_MS,
    ),
    check(
      'cross-node fan-out p99 (2 nodes, Redis + PostgreSQL) <= 2x the single node of the same run',
      `${fmt(crossVsSingle, 2)}x (${cross?.variant ?? 'n/a'}: p99 ${fmt(cross?.p99Ms, 1)} ms vs single node ${fmt(single?.p99Ms, 1)} ms)`,
      crossVsSingle,
      (v) => v <= 2,
    ),
  ];
}

/** Issue 15 part B's ratios: durable and PostgreSQL ingest against their peers and ceilings. */
export function durableRatioRows(results: BenchResult[]): RatioRow[] {
  const rate = (scenario: string, variant: string) => find(results, scenario, variant)?.msgsPerSec;
  const pairs: [string, string, string, string][] = [
    ['ingest', 'av-gym', 'ingest', SOCKET_IO_NORMAL],
    ['ingest', PG_OURS, 'ingest', PG_IO],
    ['ingest', PG_OURS, 'ceiling', PG_CEILING],
  ];
  return pairs.map(([s1, v1, s2, v2]) => ({
    ours: `${s1} ${v1}`,
    versus: `${s2} ${v2}`,
    ratio: ratio(rate(s1, v1), rate(s2, v2)),
  }));
}
