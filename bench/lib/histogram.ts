/** Growth factor between buckets: 1% relative precision on every percentile. */
const GROWTH = 1.01;
const LOG_GROWTH = Math.log(GROWTH);
/** Smallest value told apart from zero, in ms (1 us). */
const MIN_MS = 0.001;

/**
 * A log-bucketed latency histogram in ms: constant memory whatever the count, 1% precision,
 * mergeable across processes (its JSON travels over IPC).
 */
export class Histogram {
  private readonly buckets = new Map<number, number>();
  private total = 0;
  private maxMs = 0;

  record(valueMs: number): void {
    const v = Math.max(valueMs, MIN_MS);
    const index = Math.floor(Math.log(v / MIN_MS) / LOG_GROWTH);
    this.buckets.set(index, (this.buckets.get(index) ?? 0) + 1);
    this.total++;
    if (v > this.maxMs) this.maxMs = v;
  }

  get count(): number {
    return this.total;
  }

  get max(): number {
    return this.maxMs;
  }

  /** The value at percentile `p` (0-100), or 0 when empty. */
  percentile(p: number): number {
    if (this.total === 0) return 0;
    const rank = Math.max(1, Math.ceil((p / 100) * this.total));
    const indexes = [...this.buckets.keys()].sort((a, b) => a - b);
    let seen = 0;
    for (const index of indexes) {
      seen += this.buckets.get(index) ?? 0;
      if (seen >= rank) return Math.min(this.maxMs, MIN_MS * GROWTH ** (index + 0.5));
    }
    return this.maxMs;
  }

  merge(other: Histogram | HistogramJson): this {
    const json = other instanceof Histogram ? other.toJSON() : other;
    for (const [index, n] of json.buckets) this.buckets.set(index, (this.buckets.get(index) ?? 0) + n);
    this.total += json.count;
    if (json.maxMs > this.maxMs) this.maxMs = json.maxMs;
    return this;
  }

  toJSON(): HistogramJson {
    return { buckets: [...this.buckets.entries()], count: this.total, maxMs: this.maxMs };
  }

  static fromJSON(json: HistogramJson): Histogram {
    return new Histogram().merge(json);
  }
}

export interface HistogramJson {
  buckets: [number, number][];
  count: number;
  maxMs: number;
}
