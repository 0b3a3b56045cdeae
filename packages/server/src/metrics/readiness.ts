import type { Broker } from '../broker/broker.js';
import type { Store } from '../store/store.js';

export interface ReadinessReport {
  ready: boolean;
  database: 'up' | 'down';
  broker: 'up' | 'down';
}

/**
 * Answers `/readyz`: the database answers a trivial query within `timeoutMs` and the broker
 * is connected. Keeps the last answer for the `avgym_dependency_up` gauge.
 */
export class Readiness {
  #last = { database: true, broker: true };

  constructor(
    private readonly deps: { store: Store; broker: Broker },
    private readonly timeoutMs = 2_000,
  ) {}

  /** The last result (both up until the first check). */
  last(): { database: boolean; broker: boolean } {
    return { ...this.#last };
  }

  /** True while the broker reports itself connected (always for the in-process broker). */
  brokerUp(): boolean {
    const health = this.deps.broker as Partial<{ healthy(): boolean }>;
    return typeof health.healthy === 'function' ? health.healthy() : true;
  }

  async check(): Promise<ReadinessReport> {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<boolean>((resolve) => {
      timer = setTimeout(() => resolve(false), this.timeoutMs);
    });
    const database = await Promise.race([this.deps.store.ping().catch(() => false), timeout]);
    clearTimeout(timer);
    const broker = this.brokerUp();
    this.#last = { database, broker };
    return { ready: database && broker, database: database ? 'up' : 'down', broker: broker ? 'up' : 'down' };
  }
}
