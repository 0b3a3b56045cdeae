import type { ServerEvent } from '@av-gym/protocol';
import type { Broker, BrokerListener } from '../broker.js';

export interface MemoryBrokerOptions {
  /** Called when a listener throws; the error goes no further. */
  onListenerError?(error: unknown): void;
}

/**
 * The in-process broker (the default, one node): `publish` hands events to every listener
 * synchronously, in subscription order.
 */
export class MemoryBroker implements Broker {
  private readonly listeners = new Set<BrokerListener>();
  private closed = false;

  constructor(private readonly options: MemoryBrokerOptions = {}) {}

  publish(events: ServerEvent[]): void {
    if (this.closed || events.length === 0) return;
    for (const listener of [...this.listeners]) {
      try {
        listener(events);
      } catch (error) {
        this.options.onListenerError?.(error);
      }
    }
  }

  subscribe(listener: BrokerListener): () => void {
    const own = (events: readonly ServerEvent[]) => listener(events);
    this.listeners.add(own);
    return () => {
      this.listeners.delete(own);
    };
  }

  async ready(): Promise<void> {}

  async close(): Promise<void> {
    this.closed = true;
    this.listeners.clear();
  }
}
