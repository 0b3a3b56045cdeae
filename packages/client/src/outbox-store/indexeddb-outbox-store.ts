import { type DBSchema, type IDBPDatabase, openDB } from 'idb';
import { ClientError } from '../errors.js';
import { isStoredAction, type OutboxStore, type StoredAction, toStoredAction } from './outbox-store.js';

/** The part of the Web Locks API the store uses (`navigator.locks`). */
export interface LocksLike {
  request(name: string, callback: () => Promise<unknown>): Promise<unknown>;
  query(): Promise<{ held?: { name?: string }[] }>;
}

/** Options of {@link IndexedDbOutboxStore}. */
export interface IndexedDbOutboxStoreOptions {
  /** One database per desk: `av-gym-outbox:<name>`. */
  name: string;
  /**
   * Web Locks, so two tabs never send the same saved action at once. Default `navigator.locks`;
   * `null` (or a browser without it) makes every tab claim every saved action at `load`: two tabs
   * may then send one action at the same time, and the server's idempotency keeps its effect once.
   */
  locks?: LocksLike | null;
  /** This store's owner id (one per tab). Default a random one. */
  ownerId?: string;
}

type Row = StoredAction & { seq?: number; owner: string };

interface OutboxDb extends DBSchema {
  actions: { key: number; value: Row; indexes: { 'by-id': string } };
}

const OWNER_LOCK = 'av-gym-outbox-owner:';
const CLAIM_LOCK = 'av-gym-outbox-claim:';

/**
 * An {@link OutboxStore} in IndexedDB (through `idb`), shared by every tab of one desk on one
 * browser profile. Each tab holds a Web Lock named after its owner id for as long as it lives;
 * `load` (under a claim lock) returns the actions whose owner holds no lock any more (a tab
 * reloaded, closed or crashed) and makes them this tab's, so an action is sent by one tab at a time.
 * @example
 * const store = new IndexedDbOutboxStore({ name: 'desk-1' });
 * const svc = new WebSocketService({ url, token, clientId: 'desk-1', outboxStore: store });
 */
export class IndexedDbOutboxStore implements OutboxStore {
  readonly #name: string;
  readonly #locks: LocksLike | null;
  readonly ownerId: string;
  #db: Promise<IDBPDatabase<OutboxDb>> | undefined;
  #ownerHeld: Promise<void> | undefined;
  #releaseOwner: (() => void) | undefined;

  constructor(options: IndexedDbOutboxStoreOptions) {
    if (typeof options.name !== 'string' || options.name.length === 0 || options.name.length > 128) {
      throw new ClientError(
        'INVALID_OPTION',
        'IndexedDbOutboxStore: name must be a string of 1-128 characters',
      );
    }
    this.#name = options.name;
    const nav = (globalThis as { navigator?: { locks?: LocksLike } }).navigator;
    this.#locks = options.locks === undefined ? (nav?.locks ?? null) : options.locks;
    this.ownerId = options.ownerId ?? randomOwnerId();
  }

  /** Whether tabs coordinate through Web Locks here (false: the documented fallback). */
  get coordinated(): boolean {
    return this.#locks !== null;
  }

  async load(): Promise<StoredAction[]> {
    await this.#holdOwnerLock();
    const claim = async (): Promise<StoredAction[]> => {
      const live = await this.#liveOwners();
      const db = await this.#open();
      const tx = db.transaction('actions', 'readwrite');
      const out: StoredAction[] = [];
      for (let cursor = await tx.store.openCursor(); cursor; cursor = await cursor.continue()) {
        const row = cursor.value;
        if (!isStoredAction(row)) continue;
        if (row.owner !== this.ownerId && live.has(row.owner)) continue;
        if (row.owner !== this.ownerId) await cursor.update({ ...row, owner: this.ownerId });
        out.push(toStoredAction(row));
      }
      await tx.done;
      return out;
    };
    if (this.#locks === null) return claim();
    return (await this.#locks.request(`${CLAIM_LOCK}${this.#name}`, claim)) as StoredAction[];
  }

  async put(actions: readonly StoredAction[]): Promise<void> {
    if (actions.length === 0) return;
    const db = await this.#open();
    const tx = db.transaction('actions', 'readwrite');
    const index = tx.store.index('by-id');
    for (const a of actions) {
      if ((await index.getKey(a.id)) === undefined)
        await tx.store.add({ ...toStoredAction(a), owner: this.ownerId });
    }
    await tx.done;
  }

  async delete(ids: readonly string[]): Promise<void> {
    if (ids.length === 0) return;
    const db = await this.#open();
    const tx = db.transaction('actions', 'readwrite');
    const index = tx.store.index('by-id');
    for (const id of ids) {
      const key = await index.getKey(id);
      if (key !== undefined) await tx.store.delete(key);
    }
    await tx.done;
  }

  async close(): Promise<void> {
    this.#releaseOwner?.();
    this.#releaseOwner = undefined;
    this.#ownerHeld = undefined;
    const db = this.#db;
    this.#db = undefined;
    if (db) (await db).close();
  }

  /** Test hook: a raw row, as a write cut short or an older version might have left it. */
  async plantRaw(value: unknown): Promise<void> {
    const db = await this.#open();
    await db.add('actions', value as Row);
  }

  #open(): Promise<IDBPDatabase<OutboxDb>> {
    if ((globalThis as { indexedDB?: unknown }).indexedDB === undefined) {
      return Promise.reject(
        new ClientError('OUTBOX_STORE', 'IndexedDbOutboxStore: this platform has no indexedDB'),
      );
    }
    this.#db ??= openDB<OutboxDb>(`av-gym-outbox:${this.#name}`, 1, {
      upgrade(db) {
        const store = db.createObjectStore('actions', { keyPath: 'seq', autoIncrement: true });
        store.createIndex('by-id', 'id', { unique: true });
      },
    }).catch((error: unknown) => {
      this.#db = undefined;
      throw new ClientError('OUTBOX_STORE', `IndexedDbOutboxStore: cannot open ${this.#name}`, {
        cause: error,
      });
    });
    return this.#db;
  }

  /** Holds `owner:<id>` until close: while it is held, no other tab claims this tab's actions. */
  #holdOwnerLock(): Promise<void> {
    const locks = this.#locks;
    if (locks === null) return Promise.resolve();
    this.#ownerHeld ??= new Promise<void>((granted) => {
      void locks.request(
        `${OWNER_LOCK}${this.#name}:${this.ownerId}`,
        () =>
          new Promise<void>((release) => {
            this.#releaseOwner = release;
            granted();
          }),
      );
    });
    return this.#ownerHeld;
  }

  async #liveOwners(): Promise<Set<string>> {
    const live = new Set<string>();
    if (this.#locks === null) return live;
    const prefix = `${OWNER_LOCK}${this.#name}:`;
    const snapshot = await this.#locks.query();
    for (const lock of snapshot.held ?? []) {
      if (lock.name?.startsWith(prefix)) live.add(lock.name.slice(prefix.length));
    }
    return live;
  }
}

function randomOwnerId(): string {
  const c = (globalThis as { crypto?: { randomUUID?: () => string } }).crypto;
  return c?.randomUUID?.() ?? `${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}`;
}
