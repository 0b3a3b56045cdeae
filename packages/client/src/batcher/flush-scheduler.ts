import type { Clock, TimerHandle } from '../clock.js';

/** Bounds and target of the adaptive batching window. */
export interface AdaptiveIntervalOptions {
  /** Shortest window. Default 25. */
  minIntervalMs: number;
  /** Longest window. Default 150. */
  maxIntervalMs: number;
  /** The window before any rate has been observed. Default 100. */
  initialIntervalMs: number;
  /** Messages a window aims to collect. Default 25 (half of maxBatchSize). */
  targetBatchSize: number;
  /** How far back the arrival rate is measured. Default 1000. */
  rateWindowMs: number;
}

const BUCKETS = 10;

/**
 * The batching window, from the observed arrival rate: `targetBatchSize / rate`, clamped to
 * [minIntervalMs, maxIntervalMs]. A window longer than the time it takes to collect a
 * useful batch only adds latency; a shorter one sends more, smaller frames. So busy desks
 * get short windows (batches still fill up) and quiet ones long windows (still some
 * batching of what queues behind the last send). With no arrivals in the rate window the
 * interval returns to `initialIntervalMs`.
 */
export class AdaptiveInterval {
  readonly #options: AdaptiveIntervalOptions;
  readonly #counts = new Array<number>(BUCKETS).fill(0);
  readonly #ids = new Array<number>(BUCKETS).fill(-1);
  readonly #bucketMs: number;

  constructor(options: AdaptiveIntervalOptions) {
    this.#options = options;
    this.#bucketMs = options.rateWindowMs / BUCKETS;
  }

  recordArrival(nowMs: number, count = 1): void {
    const id = Math.floor(nowMs / this.#bucketMs);
    const i = id % BUCKETS;
    if (this.#ids[i] !== id) {
      this.#ids[i] = id;
      this.#counts[i] = 0;
    }
    this.#counts[i] = (this.#counts[i] ?? 0) + count;
  }

  /** Arrivals per second over the last rate window. */
  ratePerSecond(nowMs: number): number {
    const current = Math.floor(nowMs / this.#bucketMs);
    let n = 0;
    for (let i = 0; i < BUCKETS; i++) {
      const id = this.#ids[i] ?? -1;
      if (id > current - BUCKETS && id <= current) n += this.#counts[i] ?? 0;
    }
    return (n * 1000) / this.#options.rateWindowMs;
  }

  currentMs(nowMs: number): number {
    const rate = this.ratePerSecond(nowMs);
    const { minIntervalMs, maxIntervalMs, initialIntervalMs, targetBatchSize } = this.#options;
    if (rate <= 0) return initialIntervalMs;
    const ideal = (targetBatchSize * 1000) / rate;
    return Math.round(Math.min(maxIntervalMs, Math.max(minIntervalMs, ideal)));
  }
}

/**
 * Owns the batcher's two wake-ups: an immediate flush (a microtask, so a synchronous burst
 * of sends still leaves as one frame) and one timer for the window or a backpressure poll.
 */
export class FlushScheduler {
  readonly #clock: Clock;
  readonly #onFlush: () => void;
  #microtaskQueued = false;
  #timer: TimerHandle | undefined;
  #timerDueMs = Number.POSITIVE_INFINITY;
  #disposed = false;

  constructor(clock: Clock, onFlush: () => void) {
    this.#clock = clock;
    this.#onFlush = onFlush;
  }

  /** Flushes at the end of the current task. */
  now(): void {
    if (this.#microtaskQueued || this.#disposed) return;
    this.#microtaskQueued = true;
    queueMicrotask(() => {
      this.#microtaskQueued = false;
      if (!this.#disposed) this.#onFlush();
    });
  }

  /** Flushes at monotonic time `dueMs` unless a timer is already set for earlier. */
  at(dueMs: number): void {
    if (this.#disposed) return;
    const nowMs = this.#clock.monotonicNow();
    if (dueMs <= nowMs) {
      this.now();
      return;
    }
    if (this.#timer !== undefined && this.#timerDueMs <= dueMs) return;
    this.clearTimer();
    this.#timerDueMs = dueMs;
    this.#timer = this.#clock.setTimeout(() => {
      this.#timer = undefined;
      this.#timerDueMs = Number.POSITIVE_INFINITY;
      if (!this.#disposed) this.#onFlush();
    }, dueMs - nowMs);
  }

  get timerDueMs(): number | undefined {
    return this.#timer === undefined ? undefined : this.#timerDueMs;
  }

  clearTimer(): void {
    if (this.#timer !== undefined) this.#clock.clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#timerDueMs = Number.POSITIVE_INFINITY;
  }

  dispose(): void {
    this.#disposed = true;
    this.clearTimer();
  }
}
