import type { LimitScope, LimitUnit } from '../metrics/server-metrics.js';
import { StrikeCounter } from './strike-counter.js';
import { TokenBucket } from './token-bucket.js';

/** Rate-limited frames or messages within 10 s that close a connection with 4429. */
export const RATE_STRIKE_LIMIT = 20;
const RATE_STRIKE_WINDOW_MS = 10_000;

/** Rates and bursts of one budget: frames (every frame) and logical messages. */
export interface RateLimits {
  framesPerSec: number;
  frameBurst: number;
  messagesPerSec: number;
  messageBurst: number;
}

/** The buckets one credential's connections share. */
export interface SharedBudget {
  readonly limits: RateLimits;
  readonly frames: TokenBucket;
  readonly messages: TokenBucket;
}

/** Why a frame was refused RATE_LIMITED, in words for the client. */
export interface RateRefusal {
  scope: LimitScope;
  message: string;
}

export interface RateBudgetDeps {
  /** The connection's own limits. */
  limits: RateLimits;
  now(): number;
  /** Counts one refusal (for `/metrics`). */
  onLimited(scope: LimitScope, unit: LimitUnit, n: number): void;
  /** Called (after the current frame is answered) once refusals keep coming: close with 4429. */
  onAbuse(): void;
}

/** The buckets of one budget, fresh and full. */
export function sharedBudget(limits: RateLimits, now: () => number): SharedBudget {
  return {
    limits,
    frames: new TokenBucket(limits.framesPerSec, limits.frameBurst, now),
    messages: new TokenBucket(limits.messagesPerSec, limits.messageBurst, now),
  };
}

/**
 * One connection's rate: every frame pays one frame token and every logical message one
 * message token, from the connection's own buckets and (once logged in) from the buckets its
 * credential shares with its other sockets; a frame is paid whole or refused whole. Refusals
 * are strikes: {@link RATE_STRIKE_LIMIT} inside 10 s call `onAbuse`.
 */
export class RateBudget {
  private readonly own: SharedBudget;
  private shared: SharedBudget | undefined;
  private readonly strikes: StrikeCounter;

  constructor(private readonly deps: RateBudgetDeps) {
    this.own = sharedBudget(deps.limits, deps.now);
    this.strikes = new StrikeCounter(RATE_STRIKE_LIMIT, RATE_STRIKE_WINDOW_MS, deps.now);
  }

  /** From now on frames and messages also pay from `budget` (the credential's). */
  share(budget: SharedBudget): void {
    this.shared = budget;
  }

  /** Pays for one frame; a refusal when a frame budget is spent. */
  frame(): RateRefusal | undefined {
    return this.pay('frames', 1);
  }

  /** Pays for `n` logical messages; a refusal when a message budget is spent. */
  messages(n: number): RateRefusal | undefined {
    return this.pay('messages', n);
  }

  private pay(unit: LimitUnit, n: number): RateRefusal | undefined {
    const own = this.own[unit];
    let scope: LimitScope | undefined;
    if (!own.take(n)) scope = 'connection';
    else if (this.shared && !this.shared[unit].take(n)) {
      own.refund(n);
      scope = 'credential';
    }
    if (scope === undefined) return undefined;
    this.deps.onLimited(scope, unit, unit === 'frames' ? 1 : n);
    if (this.strikes.hit()) queueMicrotask(() => this.deps.onAbuse());
    const limits = scope === 'connection' ? this.own.limits : (this.shared as SharedBudget).limits;
    const perSec = unit === 'frames' ? limits.framesPerSec : limits.messagesPerSec;
    const where = scope === 'connection' ? 'this connection' : 'all connections of this credential together';
    return { scope, message: `over ${perSec} ${unit}/s for ${where}; retry later` };
  }
}
