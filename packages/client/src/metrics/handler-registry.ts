/** A handler of events, acks, state changes: anything the service emits under a key. */
export type Handler<T = unknown> = (payload: T) => void;

export interface HandlerOptions {
  /** May be removed by the memory check once unused for `unusedHandlerAgeMs` (default false: never removed). */
  temporary?: boolean;
}

interface Entry {
  readonly key: string;
  readonly fn: Handler;
  readonly temporary: boolean;
  readonly registeredAtMs: number;
  calls: number;
  lastUsedAtMs: number | undefined;
}

/** Usage of one key: its live handlers and how often the key was dispatched. */
export interface HandlerKeyUsage {
  handlers: number;
  calls: number;
  lastUsedAt: number | null;
}

export interface HandlerStats {
  /** Live handlers. */
  count: number;
  byType: Record<string, HandlerKeyUsage>;
  lastCleanupAt: number | null;
  /** Handlers removed by the memory check (temporary and unused). */
  removed: number;
  /** Handlers removed because the app called the unsubscribe function. */
  unsubscribed: number;
}

/**
 * Handlers by key with usage tracking. A handler the app registered normally is removed only
 * when the app unsubscribes; `temporary` ones may also be removed by `cleanup` once unused.
 * A throwing handler never breaks dispatch: the error goes to `onError`.
 */
export class HandlerRegistry {
  readonly #byKey = new Map<string, Set<Entry>>();
  readonly #usage = new Map<string, { calls: number; lastUsedAt: number | null }>();
  readonly #now: () => number;
  readonly #onError: (error: unknown, key: string) => void;
  #removed = 0;
  #unsubscribed = 0;
  #lastCleanupAt: number | null = null;

  constructor(now: () => number, onError: (error: unknown, key: string) => void = () => {}) {
    this.#now = now;
    this.#onError = onError;
  }

  /** Registers `fn` under `key`; returns the unsubscribe function (safe to call twice). */
  on(key: string, fn: Handler, options: HandlerOptions = {}): () => void {
    const entry: Entry = {
      key,
      fn,
      temporary: options.temporary ?? false,
      registeredAtMs: this.#now(),
      calls: 0,
      lastUsedAtMs: undefined,
    };
    let set = this.#byKey.get(key);
    if (!set) {
      set = new Set();
      this.#byKey.set(key, set);
    }
    set.add(entry);
    return () => {
      if (this.#delete(entry)) this.#unsubscribed++;
    };
  }

  /** Calls every handler of `key`; returns how many ran. */
  emit(key: string, payload: unknown): number {
    const set = this.#byKey.get(key);
    if (set === undefined || set.size === 0) return 0;
    const now = this.#now();
    const usage = this.#usage.get(key) ?? { calls: 0, lastUsedAt: null };
    usage.calls++;
    usage.lastUsedAt = now;
    this.#usage.set(key, usage);
    let n = 0;
    for (const entry of [...set]) {
      entry.calls++;
      entry.lastUsedAtMs = now;
      n++;
      try {
        entry.fn(payload);
      } catch (error) {
        this.#onError(error, key);
      }
    }
    return n;
  }

  has(key: string): boolean {
    return (this.#byKey.get(key)?.size ?? 0) > 0;
  }

  /** Removes temporary handlers unused (since registration or last call) for `unusedAgeMs`; returns how many. */
  cleanup(unusedAgeMs: number): number {
    const now = this.#now();
    let removed = 0;
    for (const set of this.#byKey.values()) {
      for (const entry of [...set]) {
        const lastMs = entry.lastUsedAtMs ?? entry.registeredAtMs;
        if (entry.temporary && now - lastMs >= unusedAgeMs && this.#delete(entry)) removed++;
      }
    }
    this.#removed += removed;
    this.#lastCleanupAt = now;
    return removed;
  }

  stats(): HandlerStats {
    const byType: Record<string, HandlerKeyUsage> = {};
    let count = 0;
    for (const [key, set] of this.#byKey) {
      count += set.size;
      const usage = this.#usage.get(key);
      byType[key] = { handlers: set.size, calls: usage?.calls ?? 0, lastUsedAt: usage?.lastUsedAt ?? null };
    }
    return {
      count,
      byType,
      lastCleanupAt: this.#lastCleanupAt,
      removed: this.#removed,
      unsubscribed: this.#unsubscribed,
    };
  }

  /** Zeroes the cumulative counters (hourly reset); handlers stay. */
  resetStats(): void {
    this.#usage.clear();
    this.#removed = 0;
    this.#unsubscribed = 0;
  }

  clear(): void {
    this.#byKey.clear();
    this.#usage.clear();
  }

  #delete(entry: Entry): boolean {
    const set = this.#byKey.get(entry.key);
    if (!set?.delete(entry)) return false;
    if (set.size === 0) this.#byKey.delete(entry.key);
    return true;
  }
}
