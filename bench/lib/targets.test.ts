import { DEFAULT_OUTBOUND_BUDGET_BYTES } from '@av-gym/server';
import { describe, expect, it } from 'vitest';
import { latencySvg, throughputSvg } from './chart.js';
import type { BenchResult } from './result.js';
import { checkTargets, OUTBOUND_BUDGET_MB, ratioRows } from './targets.js';

const results: BenchResult[] = [
  { scenario: 'ceiling', variant: 'sqlite-batched-insert', msgsPerSec: 100_000 },
  { scenario: 'ingest', variant: 'socket.io', msgsPerSec: 10_000, p99Ms: 40 },
  { scenario: 'ingest', variant: 'av-gym', msgsPerSec: 35_000, p99Ms: 20 },
  { scenario: 'latency', variant: 'av-gym high priority under load', p50Ms: 1, p99Ms: 7 },
];

describe('checkTargets', () => {
  it('holds a target the figures meet and fails one they miss', () => {
    const checks = checkTargets(results);
    const byName = (s: string) => checks.find((c) => c.target.startsWith(s))!;
    expect(byName('ingest >= 3x socket.io')).toMatchObject({ holds: true });
    expect(byName('ingest >= 0.7x SQLite')).toMatchObject({ holds: false });
    expect(byName('high-priority added delay')).toMatchObject({ holds: false, measured: '7 ms' });
  });

  it('leaves a target undecided when its figures are missing', () => {
    expect(checkTargets(results).find((c) => c.target.startsWith('fanout >= 1.5x'))?.holds).toBeUndefined();
  });
});

describe('the slow-reader target', () => {
  const memory = (slow: number, control: number): BenchResult[] => [
    { scenario: 'memory', variant: 'av-gym 50 slow readers', serverRssMb: slow },
    { scenario: 'memory', variant: 'av-gym 50 readers (control: they read)', serverRssMb: control },
  ];
  const slowCheck = (r: BenchResult[]) => checkTargets(r).find((c) => c.target.startsWith('slow readers'))!;

  it('holds while slow readers add no more than the outbound budget to the same load', () => {
    expect(slowCheck(memory(190, 170)).holds).toBe(true);
    expect(slowCheck(memory(210, 170))).toMatchObject({ holds: false });
    expect(slowCheck(memory(210, 170)).measured).toContain('40 MB');
  });

  it("uses the server's own outbound budget", () => {
    expect(OUTBOUND_BUDGET_MB * 1024 * 1024).toBe(DEFAULT_OUTBOUND_BUDGET_BYTES);
  });

  it('is undecided without the control run', () => {
    expect(slowCheck(memory(190, 170).slice(0, 1)).holds).toBeUndefined();
  });
});

describe('the wire target', () => {
  it('is decided by what the project offers, not by a computed codec', () => {
    const wire: BenchResult[] = [
      { scenario: 'wire', variant: 'av-gym-unbatched json', bytesPerMsg: 140 },
      { scenario: 'wire', variant: 'av-gym batched json', bytesPerMsg: 130 },
      { scenario: 'wire', variant: 'av-gym batched + deflate-raw (computed)', bytesPerMsg: 28 },
    ];
    const check = checkTargets(wire).find((c) => c.target.startsWith('wire'))!;
    expect(check.holds).toBe(false);
    expect(check.measured).toContain('computed over the batched JSON frames: 80%');
  });
});

describe('ratioRows', () => {
  it('divides our throughput by the peer of the same run', () => {
    expect(ratioRows(results).find((r) => r.versus === 'ingest socket.io')?.ratio).toBe(3.5);
  });
});

describe('charts', () => {
  it('draws one bar per variant, ours in blue', () => {
    const svg = throughputSvg(results);
    expect(svg.match(/<rect x=/g)).toHaveLength(3);
    expect(svg).toContain('#2563eb');
    expect(latencySvg(results)).toContain('av-gym high priority under load');
  });
});
