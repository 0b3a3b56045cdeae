import type { ConsumerStats } from './types.js';

/** How many recent handle durations the percentiles are computed over. */
const DURATION_SAMPLES = 1024;

/** Counters and a ring of recent batch handling durations for `/api/stats`. */
export class ConsumerStatsRecorder {
  #batches = 0;
  #transactions = 0;
  // Maps, not objects: type names and codes come from clients ("__proto__" must stay a key).
  readonly #byType = new Map<string, { accepted: number; duplicates: number; rejected: number }>();
  readonly #byCode = new Map<string, number>();
  readonly #durationsMs = new Float64Array(DURATION_SAMPLES);
  #durationCount = 0;

  countTransaction(): void {
    this.#transactions += 1;
  }

  countBatch(durationMs: number): void {
    this.#batches += 1;
    this.#durationsMs[this.#durationCount % DURATION_SAMPLES] = durationMs;
    this.#durationCount += 1;
  }

  countMessage(
    type: string,
    status: 'accepted' | 'duplicates' | 'rejected',
    code: string | undefined,
    n = 1,
  ): void {
    let counts = this.#byType.get(type);
    if (!counts) {
      counts = { accepted: 0, duplicates: 0, rejected: 0 };
      this.#byType.set(type, counts);
    }
    counts[status] += n;
    if (code !== undefined) this.#byCode.set(code, (this.#byCode.get(code) ?? 0) + n);
  }

  snapshot(): ConsumerStats {
    const n = Math.min(this.#durationCount, DURATION_SAMPLES);
    const sorted = Array.from(this.#durationsMs.subarray(0, n)).sort((a, b) => a - b);
    const at = (q: number) => (n === 0 ? 0 : (sorted[Math.min(n - 1, Math.floor(q * n))] ?? 0));
    return {
      batches: this.#batches,
      transactions: this.#transactions,
      messagesByType: Object.fromEntries([...this.#byType].map(([type, counts]) => [type, { ...counts }])),
      rejectedByCode: Object.fromEntries(this.#byCode),
      handleMs: { p50: at(0.5), p99: at(0.99), count: this.#durationCount },
    };
  }
}
