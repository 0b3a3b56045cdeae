import { conflictKey, MAX_MESSAGE_ID_LENGTH, type MessageCode, orderedItems } from '@av-gym/protocol';
import type { StoredOutcome } from '../store/records.js';
import type { BatchInput } from './types.js';

/** The final outcome of one input item. `record` says whether it goes into the idempotency table. */
export type EntryOutcome =
  | { status: 'accepted'; info?: Record<string, unknown>; record: boolean }
  | { status: 'duplicate'; info?: Record<string, unknown> }
  | { status: 'rejected'; code: MessageCode; message: string; data?: unknown; record: boolean };

/** One item of one call, in the client's enqueue order. */
export interface Entry {
  readonly call: number;
  readonly type: string;
  /** The message id, or `#<index in its type's array>` when the item had no usable id. */
  readonly id: string;
  readonly data: unknown;
  readonly clientId: string;
  /** Set when the same id appeared earlier in this transaction. */
  repeatOf?: Entry;
  outcome?: EntryOutcome;
}

export interface CallPlan {
  input: BatchInput;
  /** Every item, in enqueue order. */
  entries: Entry[];
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** Reads the `{id, data}` envelopes of one call; items without a usable id are rejected at once. */
export function planCall(input: BatchInput, call: number): CallPlan {
  // fromEntries defines own keys, so even a type named "__proto__" keeps its items.
  const batches: Record<string, unknown[]> = Object.fromEntries(
    Object.entries(input.batches ?? {}).map(([type, list]) => [type, Array.isArray(list) ? list : []]),
  );
  const order = Array.isArray(input.order) ? input.order : undefined;
  const entries: Entry[] = [];
  const indexByType = new Map<string, number>();
  for (const { type, item } of orderedItems(order ? { batches, order } : { batches })) {
    const index = indexByType.get(type) ?? 0;
    indexByType.set(type, index + 1);
    const id = isRecord(item) ? item.id : undefined;
    if (typeof id !== 'string' || id.length === 0 || id.length > MAX_MESSAGE_ID_LENGTH || !isRecord(item)) {
      entries.push({
        call,
        type,
        id: `#${index}`,
        data: undefined,
        clientId: input.clientId,
        outcome: {
          status: 'rejected',
          code: 'VALIDATION_FAILED',
          message: `item ${index} of ${type} is not {id: string (1-${MAX_MESSAGE_ID_LENGTH} chars), data}`,
          record: false,
        },
      });
      continue;
    }
    entries.push({ call, type, id, data: item.data, clientId: input.clientId });
  }
  return { input, entries };
}

/** The outcome a repeat of an already processed id gets. */
export function replayOutcome(stored: StoredOutcome): EntryOutcome {
  if (stored.status === 'accepted') {
    return stored.info === undefined ? { status: 'duplicate' } : { status: 'duplicate', info: stored.info };
  }
  return stored.data === undefined
    ? { status: 'rejected', code: stored.code, message: stored.message, record: false }
    : { status: 'rejected', code: stored.code, message: stored.message, data: stored.data, record: false };
}

/**
 * Splits messages (already in enqueue order) into phases: a new phase starts when a message's
 * conflict key (its member) was touched in the current phase by a different type. Running one
 * bulk handler per type per phase, phases in sequence, then equals applying them one by one.
 */
export function splitPhases<T extends { type: string; data: unknown }>(messages: readonly T[]): T[][] {
  const phases: T[][] = [];
  let current: T[] = [];
  let touched = new Map<string, string>();
  for (const message of messages) {
    const key = conflictKey(message.type, message.data);
    if (key !== undefined) {
      const by = touched.get(key);
      if (by !== undefined && by !== message.type) {
        phases.push(current);
        current = [];
        touched = new Map();
      }
      touched.set(key, message.type);
    }
    current.push(message);
  }
  if (current.length > 0) phases.push(current);
  return phases;
}

/** Groups one phase by type, types in order of first appearance. */
export function groupByType<T extends { type: string }>(phase: readonly T[]): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const message of phase) {
    const list = groups.get(message.type);
    if (list) list.push(message);
    else groups.set(message.type, [message]);
  }
  return groups;
}
