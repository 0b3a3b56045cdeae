import type { Clock } from '../clock.js';
import {
  DEFAULT_OUTBOX_BUDGET,
  type OutboxBudget,
  type OutboxStore,
  type StoredAction,
  storedActionBytes,
} from '../outbox-store/outbox-store.js';

/** What the durable outbox holds now: shown as "N actions wait, saved on this desk". */
export interface OutboxSnapshot {
  /** Actions saved in the store and not yet settled by the server. */
  saved: number;
  bytes: number;
  maxActions: number;
  maxBytes: number;
}

type PendingSave = { action: StoredAction; bytes: number; resolve: () => void; reject: (e: unknown) => void };

/**
 * The service's side of an {@link OutboxStore}: every store call goes through one chain, so a
 * load is done before the first save, a save before its delete, and saves keep send order. Saves
 * that arrive while one is in progress go to the store together (one transaction, one fsync).
 * The budget counts saved and saving actions.
 */
export class DurableOutbox {
  readonly #store: OutboxStore;
  readonly #budget: OutboxBudget;
  readonly #onChange: (snapshot: OutboxSnapshot) => void;
  readonly #saved = new Map<string, { action: StoredAction; bytes: number }>();
  #reservedActions = 0;
  #reservedBytes = 0;
  #bytes = 0;
  #chain: Promise<void> = Promise.resolve();
  #saves: PendingSave[] = [];
  #deletes: string[] = [];
  #savesScheduled = false;
  #deletesScheduled = false;

  constructor(store: OutboxStore, budget: Partial<OutboxBudget>, onChange: (s: OutboxSnapshot) => void) {
    this.#store = store;
    this.#budget = { ...DEFAULT_OUTBOX_BUDGET, ...budget };
    this.#onChange = onChange;
  }

  snapshot(): OutboxSnapshot {
    return {
      saved: this.#saved.size,
      bytes: this.#bytes,
      maxActions: this.#budget.maxActions,
      maxBytes: this.#budget.maxBytes,
    };
  }

  /** The saved, unsettled actions, in save order. */
  list(): StoredAction[] {
    return [...this.#saved.values()].map((s) => s.action);
  }

  has(id: string): boolean {
    return this.#saved.has(id);
  }

  /** Builds the record of one send; undefined when the budget has no room for it. */
  prepare(clock: Clock, id: string, type: string, data: unknown, priority: StoredAction['priority']) {
    const action: StoredAction = { id, type, data, priority, savedAt: clock.now() };
    const bytes = storedActionBytes(action);
    const actions = this.#saved.size + this.#reservedActions;
    if (
      actions + 1 > this.#budget.maxActions ||
      this.#bytes + this.#reservedBytes + bytes > this.#budget.maxBytes
    ) {
      return undefined;
    }
    return { action, bytes };
  }

  /** Saves one action (after the actions saved before it); resolves once the store has it. */
  save(action: StoredAction, bytes: number): Promise<void> {
    this.#reservedActions++;
    this.#reservedBytes += bytes;
    const done = new Promise<void>((resolve, reject) => this.#saves.push({ action, bytes, resolve, reject }));
    if (!this.#savesScheduled) {
      this.#savesScheduled = true;
      this.#chain = this.#chain.then(() => this.#flushSaves());
    }
    return done;
  }

  /**
   * Loads what the store hands this service (after restart, or actions another tab left) and
   * gives each action not already known to `admit`, in save order; resolves with how many.
   */
  restore(admit: (action: StoredAction) => void, onError: (error: unknown) => void): Promise<number> {
    let count = 0;
    const run = this.#chain.then(async () => {
      try {
        for (const action of await this.#store.load()) {
          if (this.#saved.has(action.id)) continue;
          const bytes = storedActionBytes(action);
          this.#saved.set(action.id, { action, bytes });
          this.#bytes += bytes;
          count++;
          admit(action);
        }
      } catch (error) {
        onError(error);
      }
      if (count > 0) this.#onChange(this.snapshot());
    });
    this.#chain = run;
    return run.then(() => count);
  }

  /** The server settled these: forget them here and, after any save in progress, in the store. */
  forget(ids: readonly string[]): void {
    let changed = false;
    for (const id of ids) {
      const s = this.#saved.get(id);
      if (s === undefined) continue;
      this.#saved.delete(id);
      this.#bytes -= s.bytes;
      this.#deletes.push(id);
      changed = true;
    }
    if (!changed) return;
    this.#onChange(this.snapshot());
    if (!this.#deletesScheduled) {
      this.#deletesScheduled = true;
      this.#chain = this.#chain.then(() => this.#flushDeletes());
    }
  }

  /** Resolves once every store call queued so far has finished, then closes the store. */
  async close(): Promise<void> {
    await this.#chain;
    await this.#store.close();
  }

  async #flushSaves(): Promise<void> {
    this.#savesScheduled = false;
    const batch = this.#saves;
    this.#saves = [];
    if (batch.length === 0) return;
    let failure: unknown;
    try {
      await this.#store.put(batch.map((s) => s.action));
    } catch (error) {
      failure = error ?? new Error('the store refused the save');
    }
    for (const s of batch) {
      this.#reservedActions--;
      this.#reservedBytes -= s.bytes;
      if (failure === undefined) {
        this.#saved.set(s.action.id, { action: s.action, bytes: s.bytes });
        this.#bytes += s.bytes;
      }
    }
    if (failure === undefined) this.#onChange(this.snapshot());
    // resolved in save order, so whatever each caller does next keeps that order
    for (const s of batch) {
      if (failure === undefined) s.resolve();
      else s.reject(failure);
    }
  }

  async #flushDeletes(): Promise<void> {
    this.#deletesScheduled = false;
    const ids = this.#deletes;
    this.#deletes = [];
    if (ids.length === 0) return;
    try {
      await this.#store.delete(ids);
    } catch {
      // a failed delete only means these are sent again after a restart: same ids, so harmless
    }
  }
}
