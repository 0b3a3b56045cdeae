/** An opaque timer handle: whatever the clock's setTimeout/setInterval returned. */
export type TimerHandle = unknown;

/**
 * Time as the client sees it. Every timer of the client goes through one of these, so tests
 * can drive time (see `ManualClock` in `src/testing`) and nothing reads the global clock directly.
 */
export interface Clock {
  /** Wall-clock milliseconds since the epoch (for `at` fields and timestamps shown to people). */
  now(): number;
  /** Monotonic milliseconds (`performance.now()`): for measuring latency and intervals. */
  monotonicNow(): number;
  setTimeout(fn: () => void, delayMs: number): TimerHandle;
  clearTimeout(handle: TimerHandle): void;
  setInterval(fn: () => void, intervalMs: number): TimerHandle;
  clearInterval(handle: TimerHandle): void;
}

type GlobalTimerArg = Parameters<typeof globalThis.clearTimeout>[0];

/** The clock of the platform: `Date.now`, `performance.now` and the global timer functions. */
export const systemClock: Clock = {
  now: () => Date.now(),
  monotonicNow: () =>
    typeof globalThis.performance?.now === 'function' ? globalThis.performance.now() : Date.now(),
  setTimeout: (fn, delayMs) => globalThis.setTimeout(fn, delayMs),
  clearTimeout: (handle) => globalThis.clearTimeout(handle as GlobalTimerArg),
  setInterval: (fn, intervalMs) => globalThis.setInterval(fn, intervalMs),
  clearInterval: (handle) => globalThis.clearInterval(handle as GlobalTimerArg),
};

/** A source of uniform numbers in [0, 1); injected so jitter and ids are reproducible in tests. */
export type RandomSource = () => number;
