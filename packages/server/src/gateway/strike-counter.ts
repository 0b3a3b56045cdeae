/**
 * Counts strikes (bad frames, rate-limited frames) within a sliding window; `hit` reports
 * when `limit` strikes fall inside `windowMs`. Memory is bounded by `limit`.
 */
export class StrikeCounter {
  private readonly times: number[] = [];

  constructor(
    private readonly limit: number,
    private readonly windowMs: number,
    private readonly now: () => number,
  ) {}

  /** Records one strike; true when the limit is reached. */
  hit(): boolean {
    const t = this.now();
    this.times.push(t);
    while (this.times.length > 0 && (this.times[0] as number) <= t - this.windowMs) this.times.shift();
    if (this.times.length > this.limit) this.times.shift();
    return this.times.length >= this.limit;
  }

  /** Strikes inside the window now. */
  count(): number {
    const t = this.now();
    return this.times.filter((x) => x > t - this.windowMs).length;
  }
}
