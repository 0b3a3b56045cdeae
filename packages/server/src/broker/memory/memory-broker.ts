import type { ServerEvent } from '@av-gym/protocol';
import type { Broker, BrokerListener, RevocationBrokerListener } from '../broker.js';

export interface MemoryBrokerOptions {
  /** Called when a listener throws; the error goes no further. */
  onListenerError?(error: unknown): void;
}

/**
 * The in-process broker (the default, one node): `publish` hands events to every listener
 * synchronously, in subscription order; `publishRevocation` does the same for revocations.
 */
export class MemoryBroker implements Broker {
  private readonly listeners = new Set<BrokerListener>();
  private readonly revocationListeners = new Set<RevocationBrokerListener>();
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

  publishRevocation(credentialIds: readonly string[], reason: string): void {
    if (this.closed || credentialIds.length === 0) return;
    for (const listener of [...this.revocationListeners]) {
      try {
        listener(credentialIds, reason);
      } catch (error) {
        this.options.onListenerError?.(error);
      }
    }
  }

  onRevocation(listener: RevocationBrokerListener): () => void {
    const own: RevocationBrokerListener = (ids, reason) => listener(ids, reason);
    this.revocationListeners.add(own);
    return () => {
      this.revocationListeners.delete(own);
    };
  }

  async ready(): Promise<void> {}

  async close(): Promise<void> {
    this.closed = true;
    this.listeners.clear();
    this.revocationListeners.clear();
  }
}
