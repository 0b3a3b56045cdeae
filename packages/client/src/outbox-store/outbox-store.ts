import type { Priority } from '@av-gym/protocol';

/** One lossless action saved on this device until the server settles it. */
export interface StoredAction {
  /** The idempotency key: a resend after a restart carries the same id. */
  readonly id: string;
  readonly type: string;
  readonly data: unknown;
  readonly priority: Priority;
  /** Wall-clock ms when it was saved (shown to people: "saved at 14:02"). */
  readonly savedAt: number;
}

/**
 * Where the durable outbox keeps actions across reloads, restarts and crashes. Sibling
 * implementations: {@link MemoryOutboxStore} (tests), {@link IndexedDbOutboxStore} (browsers),
 * `JournalOutboxStore` (Node, from `@av-gym/client/node`); one contract suite holds them all.
 */
export interface OutboxStore {
  /**
   * The saved actions this service should send, in the order they were saved. A store shared
   * by several tabs returns only those no live tab holds, and claims them. A torn or malformed
   * record (a crash mid-write) is skipped, never returned.
   */
  load(): Promise<StoredAction[]>;
  /** Saves actions, in order; resolves once they would survive a crash. */
  put(actions: readonly StoredAction[]): Promise<void>;
  /** Forgets settled actions (unknown ids are ignored). */
  delete(ids: readonly string[]): Promise<void>;
  /** Releases the store (file handle, database, locks); saved actions stay saved. */
  close(): Promise<void>;
}

/** How much the durable outbox may hold beyond the in-memory batching queue. */
export interface OutboxBudget {
  /** Default 10,000 actions. */
  maxActions: number;
  /** Bytes of the actions' JSON. Default 5 MiB. */
  maxBytes: number;
}

export const DEFAULT_OUTBOX_BUDGET: Readonly<OutboxBudget> = {
  maxActions: 10_000,
  maxBytes: 5 * 1024 * 1024,
};

const PRIORITY_SET: ReadonlySet<string> = new Set(['high', 'medium', 'low']);

/** The JSON size an action counts against the byte budget. */
export function storedActionBytes(action: StoredAction): number {
  return JSON.stringify(action).length;
}

/** A record read back from a store is one of ours (a torn write or a foreign value is not). */
export function isStoredAction(value: unknown): value is StoredAction {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return (
    typeof v.id === 'string' &&
    v.id.length > 0 &&
    v.id.length <= 128 &&
    typeof v.type === 'string' &&
    v.type.length > 0 &&
    typeof v.priority === 'string' &&
    PRIORITY_SET.has(v.priority) &&
    typeof v.savedAt === 'number' &&
    Number.isFinite(v.savedAt) &&
    'data' in v
  );
}

/** Only the fields of a StoredAction (a store never keeps or returns its own bookkeeping). */
export function toStoredAction(a: StoredAction): StoredAction {
  return { id: a.id, type: a.type, data: a.data, priority: a.priority, savedAt: a.savedAt };
}
