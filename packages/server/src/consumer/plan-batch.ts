import {
  conflictKey,
  hasControlCharacter,
  MAX_MESSAGE_ID_LENGTH,
  type MessageCode,
  orderedItems,
} from '@av-gym/protocol';
import { messageFingerprint } from '../store/message-fingerprint.js';
import type { StoredOutcome } from '../store/records.js';
import { type Actor, type BatchInput, SYSTEM_ACTOR } from './types.js';

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
  /** Who sent it (one object per call, shared by its entries). */
  readonly actor: Actor;
  /** {@link messageFingerprint} of type and data: a repeat of the id must match it to be a duplicate. */
  readonly fingerprint: string;
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

/** A message id the store can key on: 1-64 characters, none of them a control character (PostgreSQL refuses NUL). */
function isUsableId(id: unknown): id is string {
  return (
    typeof id === 'string' && id.length > 0 && id.length <= MAX_MESSAGE_ID_LENGTH && !hasControlCharacter(id)
  );
}

/** Reads the `{id, data}` envelopes of one call; items without a usable id are rejected at once. */
export function planCall(input: BatchInput, call: number): CallPlan {
  // fromEntries defines own keys, so even a type named "__proto__" keeps its items.
  const batches: Record<string, unknown[]> = Object.fromEntries(
    Object.entries(input.batches ?? {}).map(([type, list]) => [type, Array.isArray(list) ? list : []]),
  );
  const order = Array.isArray(input.order) ? input.order : undefined;
  const entries: Entry[] = [];
  const actor: Actor = input.actor ?? { ...SYSTEM_ACTOR, deskId: input.clientId };
  const indexByType = new Map<string, number>();
  for (const { type, item } of orderedItems(order ? { batches, order } : { batches })) {
    const index = indexByType.get(type) ?? 0;
    indexByType.set(type, index + 1);
    const id = isRecord(item) ? item.id : undefined;
    if (!isUsableId(id) || !isRecord(item)) {
      entries.push({
        call,
        type,
        id: `#${index}`,
        data: undefined,
        clientId: input.clientId,
        actor,
        fingerprint: '',
        outcome: {
          status: 'rejected',
          code: 'VALIDATION_FAILED',
          message: `item ${index} of ${type} is not {id: string (1-${MAX_MESSAGE_ID_LENGTH} chars, no control characters), data}`,
          record: false,
        },
      });
      continue;
    }
    let fingerprint: string;
    try {
      fingerprint = messageFingerprint(type, item.data);
    } catch {
      entries.push({
        call,
        type,
        id,
        data: undefined,
        clientId: input.clientId,
        actor,
        fingerprint: '',
        outcome: {
          status: 'rejected',
          code: 'VALIDATION_FAILED',
          message: 'the data is nested too deeply',
          record: false,
        },
      });
      continue;
    }
    entries.push({ call, type, id, data: item.data, clientId: input.clientId, actor, fingerprint });
  }
  return { input, entries };
}

/**
 * Whether `fingerprint` names another message than the one first seen under this id (the
 * payment-API rule: an idempotency key reused with another payload is refused, not replayed).
 * Records from before fingerprints were kept (undefined) match anything, as they always did.
 */
export function reusesId(firstFingerprint: string | undefined, fingerprint: string): boolean {
  return firstFingerprint !== undefined && firstFingerprint !== fingerprint;
}

/** The answer to an id reused for another message: refused, nothing written, nothing recorded. */
export function idReusedOutcome(id: string): EntryOutcome {
  return {
    status: 'rejected',
    code: 'ID_REUSED',
    message: `message id ${id} was already used for a different message; send it with a new id`,
    record: false,
  };
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

/** The membership number a `member_create` asks for: two creates asking for one must keep their order. */
function numberKey(type: string, data: unknown): string | undefined {
  if (type !== 'member_create' || data === null || typeof data !== 'object') return undefined;
  const number = (data as { membershipNumber?: unknown }).membershipNumber;
  return typeof number === 'string' ? `#number:${number}` : undefined;
}

/**
 * Splits messages (already in enqueue order) into phases, per key rather than per batch: a
 * message goes to the phase of its key's previous message when that one had the same type, else
 * to the next phase after it (keyless messages go to the first). Each key then sees one type per
 * phase, in enqueue order, so running one bulk handler per type per phase, phases in sequence,
 * equals applying the messages one by one, while a busy group of a thousand messages that
 * alternates check-ins, check-outs and updates of a few hundred members needs only a few phases.
 */
export function splitPhases<T extends { type: string; data: unknown }>(messages: readonly T[]): T[][] {
  const phases: T[][] = [];
  const last = new Map<string, { type: string; phase: number }>();
  for (const message of messages) {
    const member = conflictKey(message.type, message.data);
    const number = numberKey(message.type, message.data);
    let phase = 0;
    for (const key of [member, number]) {
      const prev = key === undefined ? undefined : last.get(key);
      if (prev !== undefined)
        phase = Math.max(phase, prev.type === message.type ? prev.phase : prev.phase + 1);
    }
    const mark = { type: message.type, phase };
    if (member !== undefined) last.set(member, mark);
    if (number !== undefined) last.set(number, mark);
    let list = phases[phase];
    if (list === undefined) {
      list = [];
      phases[phase] = list;
    }
    list.push(message);
  }
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
