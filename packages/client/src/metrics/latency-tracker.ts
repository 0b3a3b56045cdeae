import { ClientError } from '../errors.js';

/** Latency figures over the kept samples (ms). All 0 before the first sample. */
export interface LatencySnapshot {
  lastMs: number;
  avgMs: number;
  p50Ms: number;
  p95Ms: number;
  /** How many samples the figures cover (at most the capacity). */
  count: number;
  /** The kept samples, oldest first. */
  samples: number[];
}

/** Nearest-rank percentile of an ascending array. */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return 0;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1] ?? 0;
}

/** The last `capacity` (default 100) round-trip samples in a ring buffer. */
export class LatencyTracker {
  readonly #ring: Float64Array;
  #next = 0;
  #count = 0;
  #lastMs = 0;

  constructor(capacity = 100) {
    if (!Number.isInteger(capacity) || capacity < 1)
      throw new ClientError('INVALID_OPTION', 'latency capacity must be a positive integer');
    this.#ring = new Float64Array(capacity);
  }

  record(ms: number): void {
    if (!Number.isFinite(ms) || ms < 0) return;
    this.#ring[this.#next] = ms;
    this.#next = (this.#next + 1) % this.#ring.length;
    this.#count = Math.min(this.#count + 1, this.#ring.length);
    this.#lastMs = ms;
  }

  /** The kept samples, oldest first. */
  samples(): number[] {
    const out: number[] = [];
    const start = this.#count < this.#ring.length ? 0 : this.#next;
    for (let i = 0; i < this.#count; i++) out.push(this.#ring[(start + i) % this.#ring.length] ?? 0);
    return out;
  }

  averageMs(): number {
    if (this.#count === 0) return 0;
    let sum = 0;
    for (let i = 0; i < this.#count; i++) sum += this.#ring[i] ?? 0;
    return sum / this.#count;
  }

  snapshot(): LatencySnapshot {
    const samples = this.samples();
    const sorted = [...samples].sort((a, b) => a - b);
    return {
      lastMs: this.#lastMs,
      avgMs: this.averageMs(),
      p50Ms: percentile(sorted, 50),
      p95Ms: percentile(sorted, 95),
      count: this.#count,
      samples,
    };
  }

  clear(): void {
    this.#next = 0;
    this.#count = 0;
    this.#lastMs = 0;
  }
}
