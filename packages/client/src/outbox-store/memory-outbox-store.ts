import { isStoredAction, type OutboxStore, type StoredAction, toStoredAction } from './outbox-store.js';

/**
 * An {@link OutboxStore} in memory: survives a reconnect and a `close()` + new service in the
 * same process, not a restart. For tests, and for a Node process that wants the budget alone.
 */
export class MemoryOutboxStore implements OutboxStore {
  /** Raw records in save order; `unknown` so a test can plant a torn one. */
  readonly #records = new Map<string, unknown>();

  async load(): Promise<StoredAction[]> {
    return [...this.#records.values()].filter(isStoredAction).map((a) => structuredClone(a));
  }

  async put(actions: readonly StoredAction[]): Promise<void> {
    for (const a of actions) {
      // a re-put moves nothing: the first save fixes the action's place in the order
      if (!this.#records.has(a.id)) this.#records.set(a.id, structuredClone(toStoredAction(a)));
    }
  }

  async delete(ids: readonly string[]): Promise<void> {
    for (const id of ids) this.#records.delete(id);
  }

  async close(): Promise<void> {}

  /** Test hook: a record as a crash mid-write might leave it. */
  plantRaw(key: string, value: unknown): void {
    this.#records.set(key, value);
  }
}
