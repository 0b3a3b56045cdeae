import type { ReadinessReport } from '@av-gym/protocol';
import type { Broker } from '../broker/broker.js';
import { type Clock, systemClock } from '../clock.js';
import type { Store } from '../store/store.js';

/**
 * Answers `/readyz`: the database answers a trivial query within `timeoutMs`, the broker
 * is connected, and the node is not draining. Keeps the last answer for the `avgym_dependency_up` gauge.
 */
export class Readiness {
  #last = { database: true, broker: true };
  #draining = false;

  constructor(
    private readonly deps: { store: Store; broker: Broker; clock?: Clock },
    private readonly timeoutMs = 2_000,
  ) {}

  /** The last result (both up until the first check). */
  last(): { database: boolean; broker: boolean } {
    return { ...this.#last };
  }

  /** From now on `/readyz` answers 503 with `draining: true` (graceful shutdown), whatever the dependencies say. */
  markDraining(): void {
    this.#draining = true;
  }

  /** True while the broker reports itself connected (always for the in-process broker). */
  brokerUp(): boolean {
    return this.deps.broker.healthy?.() ?? true;
  }

  async check(): Promise<ReadinessReport> {
    const clock = this.deps.clock ?? systemClock;
    let timer: unknown;
    const timeout = new Promise<boolean>((resolve) => {
      timer = clock.setTimeout(() => resolve(false), this.timeoutMs);
    });
    const database = await Promise.race([this.deps.store.ping().catch(() => false), timeout]);
    clock.clearTimeout(timer);
    const broker = this.brokerUp();
    this.#last = { database, broker };
    const report: ReadinessReport = {
      ready: database && broker && !this.#draining,
      database: database ? 'up' : 'down',
      broker: broker ? 'up' : 'down',
    };
    if (this.#draining) report.draining = true;
    return report;
  }
}
