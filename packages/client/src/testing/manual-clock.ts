import type { Clock, TimerHandle } from '../clock.js';

interface Timer {
  id: number;
  dueMs: number;
  fn: () => void;
  everyMs: number | undefined;
}

/** Lets queued microtasks (and the promise chains they start) run. */
export async function settle(rounds = 20): Promise<void> {
  for (let i = 0; i < rounds; i++) await Promise.resolve();
}

/**
 * A clock whose time moves only when a test says so. `advance` runs due timers in order,
 * letting microtasks settle between them, so code that flushes on a microtask behaves as
 * it would in real time. `now()` is wall time (starts at `startMs`), `monotonicNow()` the
 * ms elapsed since construction.
 */
export class ManualClock implements Clock {
  #elapsedMs = 0;
  #nextId = 1;
  readonly #timers = new Map<number, Timer>();
  readonly #startMs: number;

  constructor(startMs = 1_764_000_000_000) {
    this.#startMs = startMs;
  }

  now(): number {
    return this.#startMs + this.#elapsedMs;
  }

  monotonicNow(): number {
    return this.#elapsedMs;
  }

  setTimeout(fn: () => void, delayMs: number): TimerHandle {
    return this.#add(fn, delayMs, undefined);
  }

  clearTimeout(handle: TimerHandle): void {
    this.#timers.delete(handle as number);
  }

  setInterval(fn: () => void, intervalMs: number): TimerHandle {
    return this.#add(fn, intervalMs, Math.max(1, intervalMs));
  }

  clearInterval(handle: TimerHandle): void {
    this.#timers.delete(handle as number);
  }

  /** Timers not yet fired or cleared. */
  get pendingTimers(): number {
    return this.#timers.size;
  }

  /** Moves time forward by `ms`, firing every timer that falls due on the way. */
  async advance(ms: number): Promise<void> {
    const target = this.#elapsedMs + ms;
    await settle();
    for (;;) {
      const next = this.#earliest();
      if (next === undefined || next.dueMs > target) break;
      this.#elapsedMs = Math.max(this.#elapsedMs, next.dueMs);
      if (next.everyMs === undefined) this.#timers.delete(next.id);
      else next.dueMs += next.everyMs;
      next.fn();
      await settle();
    }
    this.#elapsedMs = target;
    await settle();
  }

  #add(fn: () => void, delayMs: number, everyMs: number | undefined): number {
    const id = this.#nextId++;
    this.#timers.set(id, { id, dueMs: this.#elapsedMs + Math.max(0, delayMs), fn, everyMs });
    return id;
  }

  #earliest(): Timer | undefined {
    let best: Timer | undefined;
    for (const t of this.#timers.values())
      if (best === undefined || t.dueMs < best.dueMs || (t.dueMs === best.dueMs && t.id < best.id)) best = t;
    return best;
  }
}
