import type { LocksLike } from '../outbox-store/indexeddb-outbox-store.js';

/** Exclusive Web Locks in one process (Node has no `navigator.locks`): a FIFO per name. */
export class FakeLocks implements LocksLike {
  readonly #queues = new Map<string, (() => void)[]>();
  readonly #held = new Set<string>();

  async request(name: string, callback: () => Promise<unknown>): Promise<unknown> {
    if (this.#held.has(name)) {
      await new Promise<void>((granted) => {
        const q = this.#queues.get(name) ?? [];
        q.push(granted);
        this.#queues.set(name, q);
      });
    }
    this.#held.add(name);
    try {
      return await callback();
    } finally {
      const next = this.#queues.get(name)?.shift();
      if (next) next();
      else this.#held.delete(name);
    }
  }

  async query(): Promise<{ held: { name: string }[] }> {
    return { held: [...this.#held].map((name) => ({ name })) };
  }
}
