/**
 * A token bucket: `ratePerSec` tokens refill per second up to `burst`. Each logical
 * message takes one token; a frame that cannot be paid for whole is refused whole.
 */
export class TokenBucket {
  private tokens: number;
  private updatedAt: number;

  constructor(
    private readonly ratePerSec: number,
    private readonly burst: number,
    private readonly now: () => number,
  ) {
    if (!(ratePerSec > 0) || !(burst >= 1)) throw new RangeError('ratePerSec must be > 0 and burst >= 1');
    this.tokens = burst;
    this.updatedAt = now();
  }

  /** Takes `cost` tokens (capped at `burst`, so a large frame is not refused forever); false if too few. */
  take(cost: number): boolean {
    this.refill();
    const need = Math.min(Math.max(cost, 0), this.burst);
    if (this.tokens < need) return false;
    this.tokens -= need;
    return true;
  }

  /** Gives back `cost` tokens taken by {@link take} when a second budget refused the same frame. */
  refund(cost: number): void {
    this.tokens = Math.min(this.burst, this.tokens + Math.min(Math.max(cost, 0), this.burst));
  }

  /** Tokens available now. */
  available(): number {
    this.refill();
    return this.tokens;
  }

  private refill(): void {
    const t = this.now();
    const elapsedMs = Math.max(0, t - this.updatedAt);
    this.updatedAt = t;
    this.tokens = Math.min(this.burst, this.tokens + (elapsedMs * this.ratePerSec) / 1000);
  }
}
