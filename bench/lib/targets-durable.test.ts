import { describe, expect, it } from 'vitest';
import type { BenchResult } from './result.js';
import { checkTargets, ratioRows } from './targets.js';
import {
  crossVariant,
  PG_CEILING,
  PG_IO,
  PG_OURS,
  SOCKET_IO_NORMAL,
  SQLITE_CEILING,
  STEADY_SQLITE,
  singleVariant,
} from './targets-durable.js';

const byName = (results: BenchResult[], prefix: string) =>
  checkTargets(results).find((c) => c.target.startsWith(prefix))!;

describe('issue 15 part B targets', () => {
  const results: BenchResult[] = [
    { scenario: 'ceiling', variant: SQLITE_CEILING, msgsPerSec: 50_000 },
    { scenario: 'ingest', variant: 'socket.io', msgsPerSec: 10_000 },
    { scenario: 'ingest', variant: 'av-gym', msgsPerSec: 42_000 },
    { scenario: 'ceiling', variant: PG_CEILING, msgsPerSec: 50_000 },
    { scenario: 'ingest', variant: PG_IO, msgsPerSec: 2_000 },
    { scenario: 'ingest', variant: PG_OURS, msgsPerSec: 10_000 },
    { scenario: 'latency', variant: STEADY_SQLITE, msgsPerSec: 5_000, p50Ms: 3, p99Ms: 16 },
    { scenario: 'fanout', variant: crossVariant(2000, 400), p99Ms: 130 },
    { scenario: 'fanout', variant: singleVariant(2000, 400), p99Ms: 70 },
  ];

  it('decides the durable ingest targets on the synchronous=FULL ceiling and the peer of the run', () => {
    expect(byName(results, 'durable ingest (issue 15) >= 0.8x')).toMatchObject({ holds: true });
    expect(byName(results, 'durable ingest (issue 15) >= 3.5x')).toMatchObject({ holds: true });
    const lower = results.map((r) => (r.variant === 'av-gym' ? { ...r, msgsPerSec: 34_000 } : r));
    expect(byName(lower, 'durable ingest (issue 15) >= 0.8x').holds).toBe(false);
    expect(byName(lower, 'durable ingest (issue 15) >= 3.5x').holds).toBe(false);
  });

  it('judges the Socket.IO ratio on the faster of its FULL and NORMAL runs', () => {
    const withNormal = [
      ...results,
      { scenario: 'ingest', variant: SOCKET_IO_NORMAL, msgsPerSec: 13_000 } as const,
    ];
    const check = byName(withNormal, 'durable ingest (issue 15) >= 3.5x');
    expect(check.holds).toBe(false);
    expect(check.measured).toContain('4.2x socket.io at synchronous=FULL');
    expect(check.measured).toContain('3.23x socket.io at NORMAL');
  });

  it('decides PostgreSQL ingest against its ceiling and against socket.io on PostgreSQL', () => {
    expect(byName(results, 'PostgreSQL ingest >= 0.6x')).toMatchObject({ holds: false });
    expect(byName(results, 'PostgreSQL ingest >= 0.6x').measured).toContain('0.2x');
    expect(byName(results, 'PostgreSQL ingest >= 3x')).toMatchObject({ holds: true });
    const ratios = ratioRows(results).filter((r) => r.ours === `ingest ${PG_OURS}`);
    expect(ratios).toHaveLength(2);
    expect(ratios.map((r) => r.ratio)).toEqual([5, 0.2]);
  });

  it('holds the steady-load p99 to 15 ms and the cross-node p99 to twice the single node', () => {
    expect(byName(results, 'ack p99 <= 15 ms')).toMatchObject({ holds: false });
    expect(byName(results, 'cross-node fan-out')).toMatchObject({ holds: true });
    expect(byName(results, 'cross-node fan-out').measured).toContain('1.86x');
    const slow = results.map((r) => (r.variant === crossVariant(2000, 400) ? { ...r, p99Ms: 150 } : r));
    expect(byName(slow, 'cross-node fan-out').holds).toBe(false);
  });

  it('leaves every target undecided without its rows', () => {
    for (const prefix of ['durable ingest', 'PostgreSQL ingest', 'ack p99', 'cross-node'])
      expect(byName([], prefix).holds).toBeUndefined();
  });
});
