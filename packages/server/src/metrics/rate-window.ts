/** Keys a window holds by default; callers pass closed-set labels, so this is a backstop. */
export const DEFAULT_MAX_KEYS = 64;

/**
 * Counts per key over a sliding window of one-second buckets, for "per second" figures:
 * `rates()` averages the last `windowSec` whole seconds. Memory: at most `maxKeys` keys x
 * windowSec numbers; a new key past `maxKeys` evicts the key updated longest ago (its rate and
 * total are forgotten), so no input can grow it without bound.
 */
export class RateWindow {
  private readonly buckets = new Map<string, number[]>();
  private readonly totals = new Map<string, number>();
  private readonly touchedSec = new Map<string, number>();
  private currentSec: number;
  private evictedKeys = 0;

  constructor(
    private readonly now: () => number,
    private readonly windowSec = 10,
    private readonly maxKeys = DEFAULT_MAX_KEYS,
  ) {
    if (!(maxKeys >= 1)) throw new RangeError('maxKeys must be >= 1');
    this.currentSec = Math.floor(now() / 1000);
  }

  add(key: string, n = 1): void {
    this.advance();
    let b = this.buckets.get(key);
    if (!b) {
      if (this.buckets.size >= this.maxKeys) this.evictStalest();
      b = new Array(this.windowSec).fill(0);
      this.buckets.set(key, b);
    }
    const i = this.currentSec % this.windowSec;
    b[i] = (b[i] as number) + n;
    this.totals.set(key, (this.totals.get(key) ?? 0) + n);
    this.touchedSec.set(key, this.currentSec);
  }

  /** Keys held now (never more than `maxKeys`). */
  get size(): number {
    return this.buckets.size;
  }

  /** Keys dropped to stay within `maxKeys` since start. */
  get evicted(): number {
    return this.evictedKeys;
  }

  /** Per-second averages over the window, by key. */
  rates(): Record<string, number> {
    this.advance();
    const out: Record<string, number> = {};
    for (const [key, b] of this.buckets) {
      const sum = b.reduce((a, x) => a + x, 0);
      out[key] = Math.round((sum / this.windowSec) * 100) / 100;
    }
    return out;
  }

  /** Counts since start, by key. */
  total(): Record<string, number> {
    return Object.fromEntries(this.totals);
  }

  private evictStalest(): void {
    let stalest: string | undefined;
    let oldest = Number.POSITIVE_INFINITY;
    for (const [key, sec] of this.touchedSec) {
      if (sec < oldest) {
        oldest = sec;
        stalest = key;
      }
    }
    if (stalest === undefined) return;
    this.buckets.delete(stalest);
    this.totals.delete(stalest);
    this.touchedSec.delete(stalest);
    this.evictedKeys++;
  }

  private advance(): void {
    const sec = Math.floor(this.now() / 1000);
    if (sec === this.currentSec) return;
    const steps = Math.min(this.windowSec, Math.max(0, sec - this.currentSec));
    for (const b of this.buckets.values()) {
      for (let s = 1; s <= steps; s++) b[(this.currentSec + s) % this.windowSec] = 0;
    }
    this.currentSec = sec;
  }
}
