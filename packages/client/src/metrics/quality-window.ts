/** Default length of the quality window: 5 minutes. */
export const DEFAULT_QUALITY_WINDOW_MS = 300_000;
/** Buckets per window: the window's resolution is `windowMs / QUALITY_WINDOW_BUCKETS` (1 s by default). */
export const QUALITY_WINDOW_BUCKETS = 300;

interface Bucket {
  /** `floor(at / bucketMs)` of the events counted here. */
  index: number;
  settled: number;
  lost: number;
  reconnects: number;
}

/** What the window holds now. */
export interface QualityWindowCounts {
  /** Messages that reached a final outcome in the window (acked, refused or lost). */
  settled: number;
  /** Of those, lost: dropped, timed out, or refused as undeliverable; resends that later succeeded are not here. */
  lost: number;
  reconnects: number;
  /** lost / (settled) in the window, 0..1 (0 when nothing settled). */
  dropRate: number;
}

/**
 * The figures the quality score reads, over a sliding window (default the last 5 minutes)
 * instead of since the hourly reset: one cut stops counting once it leaves the window.
 * Bounded: at most {@link QUALITY_WINDOW_BUCKETS} + 1 buckets, whatever the traffic.
 * @example
 * const w = new QualityWindow(() => Date.now());
 * w.settled(false); w.settled(true); w.counts().dropRate; // 0.5
 */
export class QualityWindow {
  readonly #now: () => number;
  readonly #windowMs: number;
  readonly #bucketMs: number;
  #buckets: Bucket[] = [];

  constructor(now: () => number, windowMs = DEFAULT_QUALITY_WINDOW_MS) {
    if (!(windowMs > 0) || !Number.isFinite(windowMs)) {
      throw new RangeError(`QualityWindow: windowMs must be a positive number, got ${windowMs}`);
    }
    this.#now = now;
    this.#windowMs = windowMs;
    this.#bucketMs = Math.max(1, Math.floor(windowMs / QUALITY_WINDOW_BUCKETS));
  }

  get windowMs(): number {
    return this.#windowMs;
  }

  /** One message reached its final outcome; `lost` when it never got through. */
  settled(lost: boolean): void {
    const b = this.#current();
    b.settled++;
    if (lost) b.lost++;
  }

  /** The connection was re-opened. */
  reconnected(): void {
    this.#current().reconnects++;
  }

  counts(): QualityWindowCounts {
    this.#prune();
    let settled = 0;
    let lost = 0;
    let reconnects = 0;
    for (const b of this.#buckets) {
      settled += b.settled;
      lost += b.lost;
      reconnects += b.reconnects;
    }
    return { settled, lost, reconnects, dropRate: settled === 0 ? 0 : Math.min(1, lost / settled) };
  }

  #current(): Bucket {
    this.#prune();
    const index = Math.floor(this.#now() / this.#bucketMs);
    const last = this.#buckets[this.#buckets.length - 1];
    if (last !== undefined && last.index === index) return last;
    const b: Bucket = { index, settled: 0, lost: 0, reconnects: 0 };
    this.#buckets.push(b);
    return b;
  }

  /** Drops buckets that left the window: a bucket counts while it is one of the last `windowMs / bucketMs`. */
  #prune(): void {
    const oldest = Math.floor(this.#now() / this.#bucketMs) - Math.ceil(this.#windowMs / this.#bucketMs) + 1;
    let drop = 0;
    while (drop < this.#buckets.length && (this.#buckets[drop]?.index ?? 0) < oldest) drop++;
    if (drop > 0) this.#buckets = this.#buckets.slice(drop);
  }
}
