import {
  type AckFrame,
  type CompactAckFrame,
  type ErrorFrame,
  expandCompactAck,
  isBatchAck,
  isKnownMessageCode,
  type MessageCode,
  RETRYABLE_CODES,
  type TypeResult,
} from '@av-gym/protocol';
import type { OutgoingFrame } from '../batcher/frame-builder.js';
import type { QueuedMessage } from '../batcher/queued-message.js';
import type { Clock, RandomSource, TimerHandle } from '../clock.js';
import type { ClientCode } from '../errors.js';
import { backoffDelayMs } from './backoff.js';

/** How one `send` ended; also the server's word on one message, as the outbox applies it. */
export type SendOutcome =
  | { ok: true; id: string; duplicate?: boolean; info?: Record<string, unknown> }
  | { ok: false; id: string; code: MessageCode | ClientCode | string; message: string; data?: unknown };

/** What one ack did, for the service's counters. */
export interface AckTally {
  acked: number;
  rejected: number;
  /** Retryable rejections and messages the ack did not mention (both go back for a resend). */
  errors: number;
}

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

  /**
   * Applies an ack. A batch ack (`seq`) settles every id in `accepted` or `duplicates` ok (a
   * duplicate was accepted earlier), every rejection settles or retries by code, and any message
   * of the frame the ack left out is sent again (same id, so safe); it returns undefined for a
   * seq not in flight (a late ack from a replaced frame). A single ack (`id`) applies to its
   * message whether or not its frame is still in flight.
   */
  applyAck(frame: AckFrame): AckTally | undefined {
    const tally: AckTally = { acked: 0, rejected: 0, errors: 0 };
    if (!isBatchAck(frame)) {
      this.#take(`s${frame.id}`);
      const outcome: SendOutcome = frame.ok
        ? {
            ok: true,
            id: frame.id,
            ...(frame.duplicate ? { duplicate: true } : {}),
            ...infoField(frame.info),
          }
        : { ok: false, id: frame.id, code: frame.code, message: frame.message, ...dataField(frame.data) };
      count(tally, this.#apply(outcome));
      return tally;
    }
    const messages = this.#take(`b${frame.seq}`);
    if (messages === undefined) return undefined;
    const seen = new Set<string>();
    for (const result of Object.values(frame.results)) this.#applyTypeResult(result, seen, tally);
    for (const msg of messages) {
      if (seen.has(msg.id)) continue;
      this.retryLater(msg);
      tally.errors++;
    }
    return tally;
  }

  /**
   * Applies a compact ack (docs/protocol.md 2.8): it names messages by their place in the batch,
   * so the ids come from the frame in flight under that seq, per type in frame order; then it is
   * the full ack it stands for. Undefined for a seq not in flight, as for a full ack.
   */
  applyCompactAck(frame: CompactAckFrame): AckTally | undefined {
    const messages = this.#frames.get(`b${frame.seq}`);
    if (messages === undefined) return undefined;
    const sent: Record<string, string[]> = Object.create(null);
    for (const msg of messages) {
      const ids = sent[msg.type];
      if (ids) ids.push(msg.id);
      else sent[msg.type] = [msg.id];
    }
    return this.applyAck(expandCompactAck(frame, sent));
  }

  /**
   * Applies an `error` frame; returns how many message attempts it failed. A `ref` naming a
   * frame in flight voids it: its messages are sent again later (same ids), except after
   * BAD_FRAME, where our own frame was malformed and sending it again cannot help, so they
   * settle with that code.
   */
  applyError(frame: ErrorFrame): number {
    const { code, message, ref } = frame;
    if (ref === undefined) return 0;
    const messages = this.#take(typeof ref === 'number' ? `b${ref}` : `s${ref}`) ?? [];
    for (const msg of messages) {
      if (code === 'BAD_FRAME') this.#apply({ ok: false, id: msg.id, code, message });
      else this.retryLater(msg);
    }
    return messages.length;
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

  #applyTypeResult(result: TypeResult, seen: Set<string>, tally: AckTally): void {
    for (const id of result.accepted) {
      seen.add(id);
      count(tally, this.#apply({ ok: true, id, ...infoField(result.info?.[id]) }));
    }
    for (const id of result.duplicates ?? []) {
      seen.add(id);
      count(tally, this.#apply({ ok: true, id, duplicate: true, ...infoField(result.info?.[id]) }));
    }
    for (const r of result.rejected ?? []) {
      seen.add(r.id);
      count(
        tally,
        this.#apply({ ok: false, id: r.id, code: r.code, message: r.message, ...dataField(r.data) }),
      );
    }
  }

  /**
   * The server's word on one message: ok settles; a retryable code waits out a backoff delay
   * and goes back to the batcher with the same id; any other code settles as a failure.
   */
  #apply(outcome: SendOutcome): 'acked' | 'rejected' | 'retrying' | 'unknown' {
    const entry = this.#entries.get(outcome.id);
    if (entry === undefined) return 'unknown';
    entry.inFlight = false;
    if (outcome.ok) {
      this.#settle(entry, outcome);
      return 'acked';
    }
    if (isKnownMessageCode(outcome.code) && RETRYABLE_CODES.has(outcome.code)) {
      this.retryLater(entry.message);
      return 'retrying';
    }
    this.#settle(entry, outcome);
    return 'rejected';
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

function count(tally: AckTally, what: 'acked' | 'rejected' | 'retrying' | 'unknown'): void {
  if (what === 'acked') tally.acked++;
  else if (what === 'rejected') tally.rejected++;
  else if (what === 'retrying') tally.errors++;
}

const infoField = (info: Record<string, unknown> | undefined) => (info === undefined ? {} : { info });
const dataField = (data: unknown) => (data === undefined ? {} : { data });
