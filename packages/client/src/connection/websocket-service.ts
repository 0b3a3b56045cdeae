import {
  type AckFrame,
  type CompactAckFrame,
  type ErrorFrame,
  type EventFrame,
  type EventName,
  isMessageType,
  type MessageDataMap,
  type MessageType,
  type Topic,
  validateMessage,
} from '@av-gym/protocol';
import type { OutgoingFrame } from '../batcher/frame-builder.js';
import { defaultPriority, MessageBatcher } from '../batcher/message-batcher.js';
import type { QueuedMessage } from '../batcher/queued-message.js';
import type { Clock } from '../clock.js';
import { CompressionPolicy } from '../codec/compression-policy.js';
import { FrameSender } from '../codec/frame-sender.js';
import { createIdGenerator } from '../id.js';
import { clientStatsPayload } from '../metrics/client-stats-payload.js';
import { connectionQuality } from '../metrics/connection-quality.js';
import { type Handler, type HandlerOptions, HandlerRegistry } from '../metrics/handler-registry.js';
import { LatencyTracker } from '../metrics/latency-tracker.js';
import { QualityWatch } from '../metrics/quality-watch.js';
import { QualityWindow } from '../metrics/quality-window.js';
import { batchingMetrics, MessageCounters, type ServiceMetrics } from '../metrics/service-metrics.js';
import type { StoredAction } from '../outbox-store/outbox-store.js';
import { DurableOutbox, type OutboxSnapshot } from './durable-outbox.js';
import { Outbox, type SendOutcome } from './outbox.js';
import type { AckNotice, SendOptions, ServiceEventMap } from './service-events.js';
import {
  type ResolvedServiceOptions,
  resolveServiceOptions,
  type WebSocketServiceOptions,
} from './service-options.js';
import { ServiceTimers } from './service-timers.js';
import { type OpenInfo, Session } from './session.js';
import type { ConnectionState } from './state.js';

/** Outcomes that count as lost in the quality window: dropped, never acked, or refused by a full queue. */
const LOST_CODES: ReadonlySet<string> = new Set(['DROPPED', 'TIMEOUT', 'BACKPRESSURE']);

type Resolve = (outcome: SendOutcome) => void;
/** A saved action waiting beyond the batcher's `maxQueueSize`, with whoever awaits its outcome. */
type Overflow = { action: StoredAction; resolvers: Resolve[] };
const noop: Resolve = () => {};

/**
 * The client: a reconnecting {@link Session} carrying a priority {@link MessageBatcher}, an
 * outbox that resends unacked high/medium messages with the same ids after any reconnect,
 * latency and connection quality, and handler bookkeeping.
 * @example
 * const svc = new WebSocketService({ url: 'ws://127.0.0.1:8080/ws', token, clientId: 'desk-1', WebSocket });
 * await svc.connect();
 * const outcome = await svc.send('check_in', { memberId: 'm_42' }); // { ok: true, id, info? }
 */
export class WebSocketService {
  readonly #o: ResolvedServiceOptions;
  readonly #clock: Clock;
  readonly #nextId: () => string;
  readonly #handlers: HandlerRegistry;
  readonly #latency: LatencyTracker;
  readonly #counters = new MessageCounters();
  readonly #window: QualityWindow;
  readonly #watch: QualityWatch;
  readonly #session: Session;
  readonly #batcher: MessageBatcher;
  readonly #outbox: Outbox;
  readonly #sender: FrameSender;
  readonly #timers: ServiceTimers;
  readonly #durable: DurableOutbox | undefined;
  /** Saved actions past the batcher's bound, in save order: they enter it as it empties. */
  #overflow: Overflow[] = [];
  /** Saved ids coalesced into another saved message: forgotten when it settles. */
  readonly #merged = new Map<string, string[]>();
  #pumpScheduled = false;
  #restored = false;
  /** Saves in progress, by id: a send with the same id joins the one being saved. */
  readonly #saving = new Map<string, Resolve[]>();
  /** The store's release (file handle, database, Web Lock), started once the service is done. */
  #storeClosed: Promise<void> | undefined;
  #maxInFlight: number;
  #windowStartedAt: number;

  constructor(options: WebSocketServiceOptions) {
    this.#o = resolveServiceOptions(options);
    this.#clock = this.#o.clock;
    const random = this.#o.random ?? Math.random;
    this.#nextId = createIdGenerator(() => this.#clock.now(), this.#o.random);
    this.#windowStartedAt = this.#clock.now();
    this.#window = new QualityWindow(() => this.#clock.now(), this.#o.qualityWindowMs);
    this.#watch = new QualityWatch(this.#o.logger);
    this.#maxInFlight = this.#o.maxInFlightFrames;
    this.#timers = new ServiceTimers(this.#clock);
    this.#handlers = new HandlerRegistry(
      () => this.#clock.now(),
      (error, key) => {
        if (key !== 'error') {
          this.#emit('error', { code: 'HANDLER_FAILED', message: `${key} handler threw: ${String(error)}` });
        }
      },
    );
    this.#latency = new LatencyTracker(this.#o.latencySamples);
    this.#batcher = new MessageBatcher(
      { writable: () => this.#writable(), write: (frame) => this.#write(frame) },
      {
        ...this.#o.batching,
        clock: this.#clock,
        onDrop: (msg) => {
          this.#counters.errors++;
          this.#outbox.fail(msg.id, 'DROPPED', 'dropped: the queue was full');
        },
      },
    );
    this.#outbox = new Outbox({
      clock: this.#clock,
      random,
      retryBaseDelayMs: this.#o.retryBaseDelayMs,
      retryMaxDelayMs: this.#o.retryMaxDelayMs,
      requeue: (messages) => {
        this.#counters.retries += messages.length;
        this.#batcher.requeue(messages);
      },
      onSettled: (msg, outcome) => this.#settled(msg, outcome),
    });
    this.#session = new Session(this.#o, random, this.#latency, {
      onState: (change) => this.#emit('state', change),
      onOpen: (info) => this.#opened(info),
      onLost: () => {
        this.#sender.reset();
        // every frame in flight is void: kept messages go back in their original order
        const { resend, dropped } = this.#outbox.connectionLost();
        this.#counters.errors += resend.length + dropped;
        this.#batcher.requeue(resend);
      },
      onTerminal: (reason) =>
        this.#shutdown(`connection closed for good (${reason.code ?? ''} ${reason.reason ?? ''})`),
      onEvent: (event) => this.#onEvent(event),
      onReply: (frame) => this.#onReply(frame),
      onAlert: (alert) => this.#emit('alert', alert),
    });
    // the last stage of the outbound pipeline: batcher -> #write (outbox) -> sender -> session
    this.#sender = new FrameSender(
      this.#clock,
      new CompressionPolicy({ minBytes: this.#o.compressMinBytes }),
      this.#o.compress,
      this.#session,
    );
    this.#sender.setEnabled(this.#batcher.optimization);
    this.#durable =
      this.#o.outboxStore === undefined
        ? undefined
        : new DurableOutbox(this.#o.outboxStore, this.#o.outboxBudget, (snap) => this.#emit('outbox', snap));
    // loaded now, so every saved action is queued before any new send (save order across restarts)
    this.#restore();
  }

  get state(): ConnectionState {
    return this.#session.state;
  }

  /** Opens the connection; resolves at the first welcome (retrying with backoff until then), rejects on a terminal close or `close()`. */
  connect(): Promise<void> {
    if (this.#session.state === 'idle') {
      this.#timers.start(this.#o, {
        memoryCheck: () => {
          this.#handlers.cleanup(this.#o.unusedHandlerAgeMs);
          this.#counters.staleCallbacksRemoved += this.#outbox.expireStale(this.#o.unusedHandlerAgeMs);
        },
        resetStats: () => this.#resetStats(),
        clientStats: () => {
          if (this.#session.state === 'open')
            void this.send('client_stats', clientStatsPayload(this.getMetrics()));
        },
      });
    }
    return this.#session.open();
  }

  /**
   * Queues one message; resolves when the server acks it: `{ ok: true, id, duplicate?, info? }`,
   * or `{ ok: false, id, code, message, data? }` for a refusal. Client codes: BACKPRESSURE (the
   * queue is full of high/medium messages: nothing queued, try later), DROPPED (low priority,
   * dropped under pressure), CLOSED (the service closed first), TIMEOUT (low priority, no ack).
   * Retryable server codes never resolve: the message is resent with the same id. A send with
   * the `id` of a message still pending joins it and resolves with its outcome.
   */
  send<T extends MessageType>(type: T, data: MessageDataMap[T], options?: SendOptions): Promise<SendOutcome>;
  send(type: string, data: unknown, options?: SendOptions): Promise<SendOutcome>;
  send(type: string, data: unknown, options: SendOptions = {}): Promise<SendOutcome> {
    const id = options.id ?? this.#nextId();
    const priority = options.priority ?? defaultPriority(type);
    if (this.#session.state === 'closed') {
      return Promise.resolve({ ok: false, id, code: 'CLOSED', message: 'the service is closed' });
    }
    if (this.#o.validate && isMessageType(type)) {
      const v = validateMessage(type, data);
      if (!v.ok) {
        this.#counters.rejected++;
        return Promise.resolve({ ok: false, id, code: v.code, message: v.message });
      }
    }
    if (this.#durable !== undefined && priority !== 'low')
      return this.#sendDurable(id, type, data, priority, options);
    return new Promise<SendOutcome>((resolve) => {
      // the id of a message still pending: the same logical message, so wait for its outcome
      if (options.id !== undefined && this.#outbox.attach(id, resolve)) return;
      const r = this.#batcher.enqueue({ id, type, data, priority: options.priority });
      if (r.status === 'queued') this.#outbox.add(r.message, resolve, r.message.priority !== 'low');
      else if (r.status === 'coalesced') {
        if (!this.#outbox.attach(r.into.id, resolve))
          resolve({ ok: false, id, code: 'DROPPED', message: 'lost' });
      } else if (r.status === 'dropped') {
        this.#counters.errors++;
        this.#lost(type, 'DROPPED');
        resolve({ ok: false, id, code: 'DROPPED', message: 'dropped: the queue is full' });
      } else {
        this.#lost(type, 'BACKPRESSURE');
        resolve({
          ok: false,
          id,
          code: 'BACKPRESSURE',
          message: 'the send queue is full; try again shortly',
        });
      }
    });
  }

  /** The durable outbox's figures (saved actions and bytes, and the budget); undefined without an `outboxStore`. */
  outboxSnapshot(): OutboxSnapshot | undefined {
    return this.#durable?.snapshot();
  }

  /** The actions saved on this device and not yet settled by the server, in save order ([] without a store). */
  savedActions(): StoredAction[] {
    return this.#durable?.list() ?? [];
  }

  /** Registers a handler for a service event, a topic, an event name or a message type; returns the unsubscribe function. */
  on<K extends keyof ServiceEventMap>(
    key: K,
    handler: Handler<ServiceEventMap[K]>,
    options?: HandlerOptions,
  ): () => void;
  on(key: Topic | EventName, handler: Handler<EventFrame>, options?: HandlerOptions): () => void;
  on(key: MessageType, handler: Handler<AckNotice>, options?: HandlerOptions): () => void;
  on(key: string, handler: Handler<never>, options?: HandlerOptions): () => void;
  on(key: string, handler: Handler<never>, options?: HandlerOptions): () => void {
    return this.#handlers.on(key, handler as Handler, options);
  }

  /** Adds topics (kept across reconnects, sent in every hello). */
  subscribe(topics: readonly string[]): void {
    this.#session.subscribe(topics, true);
  }

  unsubscribe(topics: readonly string[]): void {
    this.#session.subscribe(topics, false);
  }

  /** Batching and compression on (default) or off (each message sent alone, at once, as text); takes effect immediately. */
  setOptimization(enabled: boolean): void {
    this.#sender.setEnabled(enabled);
    this.#batcher.setOptimization(enabled);
  }

  /** Resolves true once every send has settled, or false after `timeoutMs`. */
  async drain(timeoutMs = 10_000): Promise<boolean> {
    const start = this.#clock.monotonicNow();
    this.#batcher.flush();
    while (this.#outbox.size > 0 || this.#overflow.length > 0 || this.#saving.size > 0) {
      if (this.#clock.monotonicNow() - start >= timeoutMs || this.#session.state === 'closed') return false;
      await new Promise<void>((r) => this.#clock.setTimeout(r, 10));
    }
    return true;
  }

  /** One snapshot of everything measured; the shape is stable (see docs/client.md). */
  getMetrics(): ServiceMetrics {
    const batching = batchingMetrics(this.#batcher.stats(), this.#sender.stats());
    const latency = this.#latency.snapshot();
    const c = this.#counters;
    const s = this.#session.info;
    const w = this.#window.counts();
    const quality = connectionQuality(
      { avgLatencyMs: latency.avgMs, errorRate: w.dropRate, reconnects: w.reconnects },
      this.#o.qualityWeights,
      this.#o.dropRateSlope,
    );
    this.#watch.observe(quality.score, this.#session.state);
    return {
      at: this.#clock.now(),
      windowStartedAt: this.#windowStartedAt,
      connection: {
        state: this.#session.state,
        connectedAt: s.connectedAt,
        reconnects: c.reconnects,
        lastCloseCode: s.lastCloseCode,
        sessionId: s.sessionId,
        lastEventSeq: s.lastEventSeq ?? null,
      },
      latency,
      quality,
      batching,
      handlers: { ...this.#handlers.stats(), staleCallbacksRemoved: c.staleCallbacksRemoved },
      messages: {
        sent: c.sent,
        acked: c.acked,
        rejected: c.rejected,
        errors: c.errors,
        retries: c.retries,
        pending: this.#outbox.size + this.#overflow.length + this.#saving.size,
      },
    };
  }

  /** Closes for good: every timer and listener is cleared, unsettled sends resolve CLOSED. */
  async close(): Promise<void> {
    if (this.#session.state !== 'closed') {
      this.#shutdown('the service was closed');
      const closing = this.#session.close(); // emits the `closed` state change synchronously
      this.#handlers.clear();
      await closing;
    }
    await this.#storeClosed;
  }

  /** Stops everything that runs on its own and settles every unsettled send. */
  #shutdown(message: string): void {
    this.#timers.stop();
    this.#sender.reset();
    this.#batcher.dispose();
    this.#batcher.takeAll();
    const overflow = this.#overflow;
    this.#overflow = [];
    const kept =
      this.#durable === undefined
        ? ''
        : '; saved actions stay on this device and are sent at the next connect()';
    this.#outbox.failAll('CLOSED', `${message}${kept}`);
    for (const o of overflow)
      for (const r of o.resolvers)
        r({ ok: false, id: o.action.id, code: 'CLOSED', message: `${message}${kept}` });
    this.#merged.clear();
    // a terminal close (4401) ends the service too: release the store, so the next service in this
    // page (after signing in again) can claim what this one saved
    this.#storeClosed ??= this.#durable?.close().catch(() => undefined);
  }

  #opened(info: OpenInfo): void {
    const { maxInFlight, maxBatchSize } = info.limits;
    // the schema holds both positive
    this.#maxInFlight = Math.min(this.#o.maxInFlightFrames, maxInFlight);
    this.#batcher.limitBatchSize(maxBatchSize);
    this.#sender.setCodec(info.codec);
    if (info.reconnect) {
      this.#counters.reconnects++;
      this.#window.reconnected();
      this.#o.logger?.info({ sessionId: info.sessionId, resumed: info.resumed }, 'reconnected');
    }
    // a store shared by tabs may hold actions a tab closed since left behind
    if (info.reconnect) this.#restore();
    this.#emit('open', { sessionId: info.sessionId, resumed: info.resumed });
    if (info.reload !== undefined) this.#emit('reload', info.reload);
    this.#batcher.notifyWritable();
  }

  #onReply(frame: AckFrame | CompactAckFrame | ErrorFrame): void {
    const c = this.#counters;
    if (frame.type === 'ack' || frame.type === 'compact_ack') {
      const tally = frame.type === 'ack' ? this.#outbox.applyAck(frame) : this.#outbox.applyCompactAck(frame);
      if (tally) {
        c.acked += tally.acked;
        c.rejected += tally.rejected;
        c.errors += tally.errors;
      }
    } else {
      c.errors += this.#outbox.applyError(frame);
      const { code, message, ref } = frame;
      this.#emit('error', ref === undefined ? { code, message } : { code, message, ref });
    }
    this.#batcher.notifyWritable();
  }

  #onEvent(frame: EventFrame): void {
    this.#emit('event', frame);
    this.#handlers.emit(frame.topic, frame);
    this.#handlers.emit(frame.name, frame);
  }

  #writable(): 'open' | 'busy' | 'closed' {
    if (this.#session.state !== 'open') return 'closed';
    // at the in-flight limit the next ack calls notifyWritable: no need to poll
    if (this.#outbox.framesInFlight >= this.#maxInFlight) return 'closed';
    return this.#session.bufferedAmount > this.#o.maxBufferedBytes ? 'busy' : 'open';
  }

  #write(frame: OutgoingFrame): void {
    if (this.#overflow.length > 0) this.#schedulePump();
    this.#outbox.sent(frame);
    this.#counters.sent += frame.messages.length;
    this.#sender.send(frame.text, frame.bytes);
  }

  #settled(msg: QueuedMessage, outcome: SendOutcome): void {
    this.#notify(msg, outcome);
    // settled by the server (ok or refused): forget it, after the notice (so an `outbox` event at 0
    // comes after every ack); CLOSED leaves it saved for the next start
    if (this.#durable?.has(msg.id) && (outcome.ok || outcome.code !== 'CLOSED')) {
      const merged = this.#merged.get(msg.id) ?? [];
      this.#merged.delete(msg.id);
      this.#durable.forget([msg.id, ...merged]);
    }
  }

  #notify(msg: QueuedMessage, outcome: SendOutcome): void {
    if (!outcome.ok && LOST_CODES.has(outcome.code)) this.#lost(msg.type, outcome.code);
    else if (outcome.ok || outcome.code !== 'CLOSED') this.#window.settled(false);
    if (!this.#handlers.has('ack') && !this.#handlers.has(msg.type)) return;
    const notice: AckNotice = { id: msg.id, type: msg.type, outcome };
    this.#emit('ack', notice);
    this.#handlers.emit(msg.type, notice);
  }

  /** A high/medium send with an outbox store: saved first, then queued (or held past the batcher's bound). */
  #sendDurable(
    id: string,
    type: string,
    data: unknown,
    priority: StoredAction['priority'],
    options: SendOptions,
  ): Promise<SendOutcome> {
    const durable = this.#durable as DurableOutbox;
    return new Promise<SendOutcome>((resolve) => {
      if (options.id !== undefined) {
        if (this.#outbox.attach(id, resolve) || this.#attachOverflow(id, resolve)) return;
        const saving = this.#saving.get(id);
        if (saving !== undefined) {
          saving.push(resolve);
          return;
        }
      }
      const prepared = durable.prepare(this.#clock, id, type, data, priority);
      if (prepared === undefined) {
        this.#lost(type, 'OUTBOX_FULL');
        const { maxActions, maxBytes } = durable.snapshot();
        resolve({
          ok: false,
          id,
          code: 'OUTBOX_FULL',
          message: `this device's outbox is full (${maxActions} actions or ${maxBytes} bytes wait for the server); nothing was saved`,
        });
        return;
      }
      const resolvers: Resolve[] = [resolve];
      this.#saving.set(id, resolvers);
      durable.save(prepared.action, prepared.bytes).then(
        () => {
          this.#saving.delete(id);
          if (this.#session.state === 'closed') {
            for (const r of resolvers)
              r({
                ok: false,
                id,
                code: 'CLOSED',
                message: 'the service closed; the action is saved and sent at the next connect()',
              });
            return;
          }
          options.onSaved?.();
          this.#admit(prepared.action, resolvers);
        },
        (error: unknown) => {
          this.#saving.delete(id);
          this.#lost(type, 'NOT_SAVED');
          for (const r of resolvers)
            r({
              ok: false,
              id,
              code: 'NOT_SAVED',
              message: `the action could not be saved on this device: ${String(error)}`,
            });
        },
      );
    });
  }

  /** Loads saved actions (after a restart, or left by a closed tab) and queues each, in save order. */
  #restore(): void {
    if (this.#durable === undefined) return;
    const first = !this.#restored;
    this.#restored = true;
    void this.#durable.restore(
      (action) => {
        if (this.#session.state !== 'closed') this.#admit(action, [noop]);
      },
      (error) =>
        this.#emit('error', {
          code: 'OUTBOX_STORE',
          message: `${first ? 'restore' : 'claim'} failed: ${String(error)}`,
        }),
    );
  }

  /** Queues a saved action behind any that wait past the batcher's bound, so save order holds. */
  #admit(action: StoredAction, resolvers: Resolve[]): void {
    if (this.#overflow.length > 0 || !this.#enqueueSaved(action, resolvers))
      this.#overflow.push({ action, resolvers });
  }

  /** Into the batcher; false when it is at `maxQueueSize` (the action waits in the overflow). */
  #enqueueSaved(action: StoredAction, resolvers: Resolve[]): boolean {
    const r = this.#batcher.enqueue({
      id: action.id,
      type: action.type,
      data: action.data,
      priority: action.priority,
    });
    if (r.status === 'backpressure') return false;
    if (r.status === 'queued') {
      const [first = noop, ...rest] = resolvers;
      this.#outbox.add(r.message, first, true);
      for (const extra of rest) this.#outbox.attach(r.message.id, extra);
      return true;
    }
    if (r.status === 'coalesced' && resolvers.every((res) => this.#outbox.attach(r.into.id, res))) {
      const merged = this.#merged.get(r.into.id) ?? [];
      merged.push(action.id);
      this.#merged.set(r.into.id, merged);
      return true;
    }
    // high/medium are never dropped; a merge into a message already gone cannot be followed
    for (const res of resolvers) res({ ok: false, id: action.id, code: 'DROPPED', message: 'lost' });
    this.#durable?.forget([action.id]);
    return true;
  }

  #attachOverflow(id: string, resolve: Resolve): boolean {
    const o = this.#overflow.find((x) => x.action.id === id);
    if (o === undefined) return false;
    o.resolvers.push(resolve);
    return true;
  }

  /** Moves overflow into the batcher as frames leave it (after the current flush, never inside it). */
  #schedulePump(): void {
    if (this.#pumpScheduled) return;
    this.#pumpScheduled = true;
    queueMicrotask(() => {
      this.#pumpScheduled = false;
      let moved = 0;
      for (const o of this.#overflow) {
        if (!this.#enqueueSaved(o.action, o.resolvers)) break;
        moved++;
      }
      if (moved > 0) this.#overflow.splice(0, moved);
    });
  }

  /** A message that never got through: counted in the quality window and reported. */
  #lost(type: string, code: string): void {
    this.#window.settled(true);
    this.#o.logger?.warn({ type, code }, 'message lost');
  }

  #emit<K extends keyof ServiceEventMap>(key: K, payload: ServiceEventMap[K]): void {
    this.#handlers.emit(key, payload);
  }

  #resetStats(): void {
    this.#counters.reset();
    this.#batcher.resetStats();
    this.#sender.resetStats();
    this.#handlers.resetStats();
    this.#windowStartedAt = this.#clock.now();
  }
}
