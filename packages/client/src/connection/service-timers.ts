import type { Clock, TimerHandle } from '../clock.js';

export interface ServiceTimerTasks {
  /** Every `memoryCheckIntervalMs`: handler and stale-callback cleanup. */
  memoryCheck(): void;
  /** Every `statsResetIntervalMs`: zero the cumulative counters. */
  resetStats(): void;
  /** Every `clientStatsIntervalMs` (0: never): report this desk's metrics. */
  clientStats(): void;
}

/** The service's periodic work, each on its own interval, all cleared by one `stop`. */
export class ServiceTimers {
  readonly #clock: Clock;
  #handles: TimerHandle[] = [];

  constructor(clock: Clock) {
    this.#clock = clock;
  }

  start(
    periods: { memoryCheckIntervalMs: number; statsResetIntervalMs: number; clientStatsIntervalMs: number },
    tasks: ServiceTimerTasks,
  ): void {
    this.stop();
    const every = (ms: number, fn: () => void) => this.#handles.push(this.#clock.setInterval(fn, ms));
    every(periods.memoryCheckIntervalMs, () => tasks.memoryCheck());
    every(periods.statsResetIntervalMs, () => tasks.resetStats());
    if (periods.clientStatsIntervalMs > 0) every(periods.clientStatsIntervalMs, () => tasks.clientStats());
  }

  stop(): void {
    for (const h of this.#handles) this.#clock.clearInterval(h);
    this.#handles = [];
  }
}
