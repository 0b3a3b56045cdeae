/** An opaque timer handle: whatever the clock's `setTimeout` returned. */
export type TimerHandle = unknown;

/**
 * Time as the server sees it: the one clock the gateway, the consumer, the broker and the
 * housekeeper share, injected so tests can drive it. Durations measured for metrics use
 * `performance.now()` directly (monotonic, never faked).
 */
export interface Clock {
  /** Wall-clock milliseconds since the epoch. */
  now(): number;
  setTimeout(fn: () => void, delayMs: number): TimerHandle;
  clearTimeout(handle: TimerHandle): void;
}

/** The real clock: `Date.now` and the global timers. */
export const systemClock: Clock = {
  now: () => Date.now(),
  setTimeout: (fn, delayMs) => setTimeout(fn, delayMs),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

/** Uniform numbers in [0, 1); injected so jitter is reproducible in tests. */
export type RandomSource = () => number;

/** The real randomness: `Math.random`. */
export const systemRandom: RandomSource = () => Math.random();

/** Resolves after `delayMs` on `clock`. */
export function sleep(clock: Clock, delayMs: number): Promise<void> {
  return new Promise((resolve) => {
    clock.setTimeout(resolve, delayMs);
  });
}
