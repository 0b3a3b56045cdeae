import type { EventDataMap, EventName, MessageCode, MessageDataMap, MessageType } from '@av-gym/protocol';
import { type AuditInput, type AuditRecord, auditRecord } from '../store/audit-records.js';
import type { StoreTx } from '../store/write-store.js';
import type { Actor } from './types.js';

/** One validated message handed to a bulk handler, in the client's enqueue order. */
export interface PlannedMessage<T extends MessageType = MessageType> {
  readonly id: string;
  readonly type: T;
  readonly data: MessageDataMap[T];
  /** The device whose batch carried it. */
  readonly clientId: string;
  /** Who sent it: staff username, role and desk (check with `may(actor.role, action)`). */
  readonly actor: Actor;
}

/**
 * What a bulk handler may do. Outcomes and events are buffered and only take effect when the
 * handler returns; if it throws, its savepoint is rolled back and its messages are tried again
 * in smaller calls, so that only a message it throws on alone gets INTERNAL.
 */
export interface HandlerContext {
  readonly tx: StoreTx;
  /** Clock time at the start of the transaction (ms). */
  readonly now: number;
  /** A fresh time-ordered row key such as `v_01J...`. */
  newId(prefix: 'm' | 'v'): string;
  accept(message: PlannedMessage, info?: Record<string, unknown>): void;
  reject(message: PlannedMessage, code: MessageCode, text: string, data?: unknown): void;
  emit<N extends EventName>(message: PlannedMessage, name: N, data: EventDataMap[N]): void;
  /** Marks that this message opened or closed a visit (one `occupancy.changed` per transaction follows). */
  visitsChanged(message: PlannedMessage): void;
  /**
   * Appends an audit row for this message (its actor's username and desk, the transaction's time),
   * buffered like events and written with the transaction in one multi-row insert; dropped if the
   * handler throws. Call it for accepted messages only.
   * @example ctx.audit(message, { action: 'check_in', memberId, after: { visitId } });
   */
  audit(message: PlannedMessage, entry: AuditInput): void;
}

/**
 * A bulk handler: walks `messages` in order with in-memory state, loads what it needs in a
 * few set-based queries, and writes with multi-row statements. Never one query per message.
 */
export type MessageHandler<T extends MessageType = MessageType> = (
  ctx: HandlerContext,
  messages: readonly PlannedMessage<T>[],
) => Promise<void>;

export type HandlerMap = { [T in MessageType]: MessageHandler<T> };

/** The outcome a handler gave one message. */
export type HandlerOutcome =
  | { status: 'accepted'; info?: Record<string, unknown> }
  | { status: 'rejected'; code: MessageCode; message: string; data?: unknown };

export interface BufferedEvent {
  message: PlannedMessage;
  name: EventName;
  data: EventDataMap[EventName];
}

/** Buffers one handler invocation's outcomes and events until it returns. */
export class HandlerScope implements HandlerContext {
  readonly tx: StoreTx;
  readonly now: number;
  readonly outcomes = new Map<PlannedMessage, HandlerOutcome>();
  readonly events: BufferedEvent[] = [];
  readonly visitChanges = new Set<PlannedMessage>();
  readonly audits: AuditRecord[] = [];
  readonly #newId: (prefix: 'm' | 'v') => string;

  constructor(tx: StoreTx, now: number, newId: (prefix: 'm' | 'v') => string) {
    this.tx = tx;
    this.now = now;
    this.#newId = newId;
  }

  newId(prefix: 'm' | 'v'): string {
    return this.#newId(prefix);
  }

  accept(message: PlannedMessage, info?: Record<string, unknown>): void {
    this.outcomes.set(message, info === undefined ? { status: 'accepted' } : { status: 'accepted', info });
  }

  reject(message: PlannedMessage, code: MessageCode, text: string, data?: unknown): void {
    this.outcomes.set(
      message,
      data === undefined
        ? { status: 'rejected', code, message: text }
        : { status: 'rejected', code, message: text, data },
    );
  }

  emit<N extends EventName>(message: PlannedMessage, name: N, data: EventDataMap[N]): void {
    this.events.push({ message, name, data });
  }

  visitsChanged(message: PlannedMessage): void {
    this.visitChanges.add(message);
  }

  audit(message: PlannedMessage, entry: AuditInput): void {
    const { username, deskId } = message.actor;
    this.audits.push(auditRecord({ staff: username, deskId }, this.now, entry));
  }
}
