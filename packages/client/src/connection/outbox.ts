import { type MessageCode, RETRYABLE_CODES } from '@av-gym/protocol';
import type { OutgoingFrame } from '../batcher/frame-builder.js';
import type { QueuedMessage } from '../batcher/queued-message.js';
import type { Clock, RandomSource, TimerHandle } from '../clock.js';
import type { ClientCode } from '../errors.js';
import { backoffDelayMs } from './backoff.js';

/** How one `send` ended. */
export type SendOutcome =
  | { ok: true; id: string; duplicate?: boolean; info?: Record<string, unknown> }
  | { ok: false; id: string; code: MessageCode | ClientCode | string; message: string; data?: unknown };

/** The server's word on one message. */
export type MessageResult =
  | { kind: 'accepted'; duplicate: boolean; info?: Record<string, unknown> | undefined }
  | { kind: 'rejected'; code: string; message: string; data?: unknown };

interface Entry {
  readonly message: QueuedMessage;
  readonly resolvers: ((outcome: SendOutcome) => void)[];
  /** High and medium are kept until acked and resent after a reconnect; low is not. */
  readonly keep: boolean;
  readonly createdAtMs: number;
  inFlight: boolean;
  retries: number;
  retryTimer: TimerHandle | undefined;
}

export interface OutboxOptions {
  clock: Clock;
  random: RandomSource;
  /** Retry delays after a retryable rejection: full jitter, cap doubling from base to max. */
  retryBaseDelayMs: number;
  retryMaxDelayMs: number;
  /** Puts a message back into the batcher. */
  requeue: (messages: QueuedMessage[]) => void;
  /** Every settled message, with its outcome (feeds the `ack` and per-type events). */
  onSettled?: (message: QueuedMessage, outcome: SendOutcome) => void;
}

/**
 * Every message from `send` until its outcome: queued, in flight (by frame), or waiting out a
 * retry delay. Frames are tracked so a batch ack settles its messages, and so a lost
 * connection sends the unacked high/medium ones again with the same ids.
 */
export class Outbox {
  readonly #o: OutboxOptions;
  readonly #entries = new Map<string, Entry>();
  readonly #frames = new Map<string, readonly QueuedMessage[]>();

  constructor(options: OutboxOptions) {
    this.#o = options;
  }

  /** Messages not yet settled (queued, in flight or waiting to retry). */
  get size(): number {
    return this.#entries.size;
  }

  get framesInFlight(): number {
    return this.#frames.size;
  }

  add(message: QueuedMessage, resolve: (o: SendOutcome) => void, keep: boolean): void {
    this.#entries.set(message.id, {
      message,
      resolvers: [resolve],
      keep,
      createdAtMs: this.#o.clock.monotonicNow(),
      inFlight: false,
      retries: 0,
      retryTimer: undefined,
    });
  }

  /** A coalesced send: resolves with the outcome of the message it merged into. */
  attach(id: string, resolve: (o: SendOutcome) => void): boolean {
    const entry = this.#entries.get(id);
    if (entry === undefined) return false;
    entry.resolvers.push(resolve);
    return true;
  }

  /** A frame was written: its messages are in flight until acked. */
  sent(frame: OutgoingFrame): void {
    this.#frames.set(frameKey(frame), frame.messages);
    for (const msg of frame.messages) {
      const entry = this.#entries.get(msg.id);
      if (entry) entry.inFlight = true;
    }
  }

  /** The ids of a batch frame, removed from the in-flight set (undefined if unknown). */
  ackBatch(seq: number): readonly QueuedMessage[] | undefined {
    return this.#take(`b${seq}`);
  }

  ackSingle(id: string): readonly QueuedMessage[] | undefined {
    return this.#take(`s${id}`);
  }

  /**
   * Applies the server's result to one message: accepted or duplicate settle ok; a retryable
   * code waits out a backoff delay and goes back to the batcher with the same id; any other
   * code settles as a failure. Returns what happened, for the counters.
   */
  apply(id: string, result: MessageResult): 'acked' | 'rejected' | 'retrying' | 'unknown' {
    const entry = this.#entries.get(id);
    if (entry === undefined) return 'unknown';
    entry.inFlight = false;
    if (result.kind === 'accepted') {
      this.#settle(entry, {
        ok: true,
        id,
        ...(result.duplicate ? { duplicate: true } : {}),
        ...(result.info === undefined ? {} : { info: result.info }),
      });
      return 'acked';
    }
    if (RETRYABLE_CODES.has(result.code as MessageCode)) {
      this.retryLater(entry.message);
      return 'retrying';
    }
    this.#settle(entry, {
      ok: false,
      id,
      code: result.code,
      message: result.message,
      ...(result.data === undefined ? {} : { data: result.data }),
    });
    return 'rejected';
  }

  /** Sends a message again after a full-jitter delay that grows with its retries. */
  retryLater(message: QueuedMessage): void {
    const entry = this.#entries.get(message.id);
    if (entry === undefined || entry.retryTimer !== undefined) return;
    entry.inFlight = false;
    const delayMs = Math.max(
      1,
      backoffDelayMs(entry.retries, this.#o.random, {
        baseDelayMs: this.#o.retryBaseDelayMs,
        maxDelayMs: this.#o.retryMaxDelayMs,
      }),
    );
    entry.retries++;
    entry.retryTimer = this.#o.clock.setTimeout(() => {
      entry.retryTimer = undefined;
      if (this.#entries.get(message.id) === entry) this.#o.requeue([message]);
    }, delayMs);
  }

  /** Settles one message with a client-side outcome (dropped, closed, timeout). */
  fail(id: string, code: ClientCode, message: string): void {
    const entry = this.#entries.get(id);
    if (entry) this.#settle(entry, { ok: false, id, code, message });
  }

  /**
   * The connection is gone: every frame in flight is void. Kept (high/medium) messages are
   * returned in enqueue order to be sent again; droppable ones are settled as DROPPED.
   */
  connectionLost(): { resend: QueuedMessage[]; dropped: number } {
    const resend: QueuedMessage[] = [];
    let dropped = 0;
    for (const messages of this.#frames.values()) {
      for (const msg of messages) {
        const entry = this.#entries.get(msg.id);
        if (entry === undefined || !entry.inFlight) continue;
        entry.inFlight = false;
        if (entry.keep) resend.push(msg);
        else {
          dropped++;
          this.#settle(entry, {
            ok: false,
            id: msg.id,
            code: 'DROPPED',
            message: 'connection lost before the ack',
          });
        }
      }
    }
    this.#frames.clear();
    resend.sort((a, b) => a.order - b.order);
    return { resend, dropped };
  }

  /**
   * Settles droppable messages sent and still unacked `maxAgeMs` after `send`; returns how many.
   * Queued ones are left to the batcher's drop policy (settling them here would let them leave later anyway).
   */
  expireStale(maxAgeMs: number): number {
    const now = this.#o.clock.monotonicNow();
    let n = 0;
    for (const entry of [...this.#entries.values()]) {
      if (!entry.keep && entry.inFlight && now - entry.createdAtMs >= maxAgeMs) {
        this.#settle(entry, { ok: false, id: entry.message.id, code: 'TIMEOUT', message: 'no ack in time' });
        n++;
      }
    }
    return n;
  }

  /** Settles everything (on close). */
  failAll(code: ClientCode, message: string): void {
    for (const entry of [...this.#entries.values()])
      this.#settle(entry, { ok: false, id: entry.message.id, code, message });
    this.#frames.clear();
  }

  #take(key: string): readonly QueuedMessage[] | undefined {
    const messages = this.#frames.get(key);
    this.#frames.delete(key);
    return messages;
  }

  #settle(entry: Entry, outcome: SendOutcome): void {
    if (entry.retryTimer !== undefined) this.#o.clock.clearTimeout(entry.retryTimer);
    entry.retryTimer = undefined;
    this.#entries.delete(entry.message.id);
    for (const resolve of entry.resolvers) resolve(outcome);
    this.#o.onSettled?.(entry.message, outcome);
  }
}

function frameKey(frame: OutgoingFrame): string {
  const first = frame.messages[0];
  return frame.kind === 'batch' ? `b${frame.seq}` : `s${first?.id ?? ''}`;
}
