import type { RandomSource } from '../clock.js';

/** Reconnect delay bounds. Defaults: 1 s base, 5 s cap. */
export interface BackoffOptions {
  /** Cap of the first attempt's delay; doubles per attempt. Default 1000. */
  baseDelayMs: number;
  /** Largest cap. Default 5000 (as Socket.IO's `reconnectionDelayMax`). */
  maxDelayMs: number;
}

export const DEFAULT_BACKOFF: Readonly<BackoffOptions> = Object.freeze({
  baseDelayMs: 1_000,
  maxDelayMs: 5_000,
});

/** The cap of attempt `attempt` (0-based): `min(maxDelayMs, baseDelayMs * 2^attempt)`. */
export function backoffCapMs(attempt: number, options: BackoffOptions = DEFAULT_BACKOFF): number {
  const exp = Math.min(attempt, 30);
  return Math.min(options.maxDelayMs, options.baseDelayMs * 2 ** exp);
}

/**
 * Exponential backoff with full jitter: a uniform delay in `[0, cap)`. Spreading reconnects
 * over the whole window keeps a fleet of desks from reconnecting in lockstep after a restart.
 */
export function backoffDelayMs(
  attempt: number,
  random: RandomSource,
  options: BackoffOptions = DEFAULT_BACKOFF,
): number {
  return Math.floor(random() * backoffCapMs(attempt, options));
}

/** Counts attempts and hands out the next full-jitter delay. */
export class Backoff {
  #attempt = 0;
  readonly #random: RandomSource;
  readonly #options: BackoffOptions;

  constructor(random: RandomSource, options: Partial<BackoffOptions> = {}) {
    this.#random = random;
    this.#options = { ...DEFAULT_BACKOFF, ...options };
  }

  /** The delay before the next attempt; each call counts one attempt. */
  next(): number {
    const delay = backoffDelayMs(this.#attempt, this.#random, this.#options);
    this.#attempt++;
    return delay;
  }

  get attempt(): number {
    return this.#attempt;
  }

  reset(): void {
    this.#attempt = 0;
  }
}
