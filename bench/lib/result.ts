/** One row of `bench/results/latest.json` (a field that does not apply is omitted). */
export interface BenchResult {
  scenario: 'ingest' | 'fanout' | 'wire' | 'latency' | 'memory' | 'ceiling' | 'storm' | 'reports';
  variant: string;
  msgsPerSec?: number;
  p50Ms?: number;
  p99Ms?: number;
  /** Reports only: the 95th percentile of the runs. */
  p95Ms?: number;
  /** The largest sample (the storm: the last desk's return). */
  maxMs?: number;
  /** Storm only: desks connected before the stop, and those back and resumed after it. */
  desks?: number;
  resumed?: number;
  /** Client to server bytes per message (wire: the upstream). */
  bytesPerMsg?: number;
  /** Wire only: server to client bytes per message (acks), and up plus down. */
  downBytesPerMsg?: number;
  roundTripBytesPerMsg?: number;
  serverRssMb?: number;
  clientHeapMb?: number;
  /** Ingest only: accepted messages/s (rejections are acked work, but not stored). */
  acceptedPerSec?: number;
  /** What the figure counts, when the variant name does not say it all. */
  note?: string;
}

export interface Machine {
  cpus: number;
  model: string;
  node: string;
}

export interface BenchReport {
  generatedAt: string;
  /** The command that produced it (`npm run bench` or `npm run bench -- --quick`). */
  command: string;
  machine: Machine;
  results: BenchResult[];
}

/** Rounds a figure for the report: 3 significant digits, integers above 1,000. */
export function round(value: number): number {
  if (!Number.isFinite(value)) return 0;
  if (Math.abs(value) >= 1000) return Math.round(value);
  return Number(value.toPrecision(3));
}

/** Drops undefined fields and rounds the rest, so the JSON holds only what applies. */
export function clean(result: BenchResult): BenchResult {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(result)) {
    if (v === undefined) continue;
    out[k] = typeof v === 'number' ? round(v) : v;
  }
  return out as unknown as BenchResult;
}
