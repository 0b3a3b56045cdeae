/**
 * Counts per key over a sliding window of one-second buckets, for "per second" figures:
 * `rates()` averages the last `windowSec` whole seconds. Memory: keys x windowSec numbers.
 */
export class RateWindow {
  private readonly buckets = new Map<string, number[]>();
  private readonly totals = new Map<string, number>();
  private currentSec: number;

  constructor(
    private readonly now: () => number,
    private readonly windowSec = 10,
  ) {
    this.currentSec = Math.floor(now() / 1000);
  }

  add(key: string, n = 1): void {
    this.advance();
    let b = this.buckets.get(key);
    if (!b) {
      b = new Array(this.windowSec).fill(0);
      this.buckets.set(key, b);
    }
    const i = this.currentSec % this.windowSec;
    b[i] = (b[i] as number) + n;
    this.totals.set(key, (this.totals.get(key) ?? 0) + n);
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
