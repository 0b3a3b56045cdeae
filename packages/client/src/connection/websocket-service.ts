import {
  type EventFrame,
  type EventName,
  isMessageType,
  type MessageDataMap,
  type MessageType,
  TERMINAL_CLOSE_CODES,
  type Topic,
  validateMessage,
} from '@av-gym/protocol';
import type { OutgoingFrame } from '../batcher/frame-builder.js';
import { MessageBatcher } from '../batcher/message-batcher.js';
import type { QueuedMessage } from '../batcher/queued-message.js';
import type { Clock, RandomSource, TimerHandle } from '../clock.js';
import { ClientError } from '../errors.js';
import { createIdGenerator } from '../id.js';
import { clientStatsPayload } from '../metrics/client-stats-payload.js';
import { connectionQuality } from '../metrics/connection-quality.js';
import { type Handler, type HandlerOptions, HandlerRegistry } from '../metrics/handler-registry.js';
import { LatencyTracker } from '../metrics/latency-tracker.js';
import { MessageCounters, type ServiceMetrics } from '../metrics/service-metrics.js';
import { type AckTally, applyBatchAck, applyErrorFrame, applySingleAck } from './ack-applier.js';
import { Backoff } from './backoff.js';
import { EventStream } from './event-stream.js';
import { Heartbeat } from './heartbeat.js';
import { Outbox, type SendOutcome } from './outbox.js';
import type { AckNotice, SendOptions, ServiceEventMap } from './service-events.js';
import {
  type ResolvedServiceOptions,
  resolveServiceOptions,
  type WebSocketServiceOptions,
} from './service-options.js';
import { ServiceTimers } from './service-timers.js';
import { SocketConnection } from './socket-connection.js';
import { type ConnectionState, ConnectionStateMachine, type StateReason } from './state.js';

type Obj = Record<string, unknown>;

/**
 * The client's connection: hello/welcome with resume, a priority batcher in front of the
 * socket, an outbox that resends unacked high/medium messages with the same ids after any
 * reconnect, heartbeat and latency, connection quality, handler bookkeeping.
 * @example
 * const svc = new WebSocketService({ url: 'ws://127.0.0.1:8080/ws', token, clientId: 'desk-1', WebSocket });
 * await svc.connect();
 * const outcome = await svc.send('check_in', { memberId: 'm_42' }); // { ok: true, id, info? }
 */
export class WebSocketService {
  readonly #o: ResolvedServiceOptions;
  readonly #clock: Clock;
  readonly #random: RandomSource;
  readonly #nextId: () => string;
  readonly #machine: ConnectionStateMachine;
  readonly #handlers: HandlerRegistry;
  readonly #latency: LatencyTracker;
  readonly #counters = new MessageCounters();
  readonly #backoff: Backoff;
  readonly #batcher: MessageBatcher;
  readonly #outbox: Outbox;
  readonly #heartbeat: Heartbeat;
  readonly #topics = new Set<string>();
  readonly #events = new EventStream();
  readonly #timers: ServiceTimers;
  #conn: SocketConnection | undefined;
  #reconnectTimer: TimerHandle | undefined;
  #waiters: { resolve: () => void; reject: (e: ClientError) => void }[] = [];
  #maxInFlight: number;
  #everOpened = false;
  #connectedAt: number | null = null;
  #sessionId: string | null = null;
  #lastCloseCode: number | null = null;
  #windowStartedAt: number;
  #offline = false;
  #closing = false;
  readonly #onOnline = () => this.#networkChanged(true);
  readonly #onOffline = () => this.#networkChanged(false);

  constructor(options: WebSocketServiceOptions) {
    this.#o = resolveServiceOptions(options);
    this.#clock = this.#o.clock;
    this.#random = this.#o.random ?? Math.random;
    this.#nextId = createIdGenerator(() => this.#clock.now(), this.#o.random);
    this.#windowStartedAt = this.#clock.now();
    this.#maxInFlight = this.#o.maxInFlightFrames;
    this.#timers = new ServiceTimers(this.#clock);
    for (const t of this.#o.topics) this.#topics.add(t);
    this.#handlers = new HandlerRegistry(
      () => this.#clock.now(),
      (error, key) => {
        if (key !== 'error')
          this.#emit('error', { code: 'HANDLER_FAILED', message: `${key} handler threw: ${String(error)}` });
      },
    );
    this.#machine = new ConnectionStateMachine((change) => this.#emit('state', change));
    this.#latency = new LatencyTracker(this.#o.latencySamples);
    this.#backoff = new Backoff(this.#random, {
      baseDelayMs: this.#o.reconnectBaseDelayMs,
      maxDelayMs: this.#o.reconnectMaxDelayMs,
    });
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
      random: this.#random,
      retryBaseDelayMs: this.#o.retryBaseDelayMs,
      retryMaxDelayMs: this.#o.retryMaxDelayMs,
      requeue: (messages) => {
        this.#counters.retries += messages.length;
        this.#batcher.requeue(messages);
      },
      onSettled: (msg, outcome) => this.#settled(msg, outcome),
    });
    this.#heartbeat = new Heartbeat({
      clock: this.#clock,
      intervalMs: this.#o.pingIntervalMs,
      maxMissedPongs: this.#o.maxMissedPongs,
      sendPing: (ts) => this.#sendRaw(JSON.stringify({ type: 'ping', ts })),
      onRtt: (ms) => this.#latency.record(ms),
      onDead: () => this.#conn?.drop('heartbeat: pongs missed'),
    });
  }

  get state(): ConnectionState {
    return this.#machine.state;
  }

  /** Opens the connection; resolves at the first welcome (retrying with backoff until then), rejects on a terminal close or `close()`. */
  connect(): Promise<void> {
    const state = this.#machine.state;
    if (state === 'open') return Promise.resolve();
    if (state === 'closed') return Promise.reject(new ClientError('CLOSED', 'WebSocketService is closed'));
    const p = new Promise<void>((resolve, reject) => this.#waiters.push({ resolve, reject }));
    if (state === 'idle') {
      this.#timers.start(this.#o, {
        memoryCheck: () => {
          this.#handlers.cleanup(this.#o.unusedHandlerAgeMs);
          this.#counters.staleCallbacksRemoved += this.#outbox.expireStale(this.#o.unusedHandlerAgeMs);
        },
        resetStats: () => this.#resetStats(),
        clientStats: () => {
          if (this.#machine.state === 'open')
            void this.send('client_stats', clientStatsPayload(this.getMetrics()));
        },
      });
      this.#o.network?.addEventListener('online', this.#onOnline);
      this.#o.network?.addEventListener('offline', this.#onOffline);
      this.#openSocket();
    }
    return p;
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
    if (this.#machine.state === 'closed') {
      return Promise.resolve({ ok: false, id, code: 'CLOSED', message: 'the service is closed' });
    }
    if (this.#o.validate && isMessageType(type)) {
      const v = validateMessage(type, data);
      if (!v.ok) {
        this.#counters.rejected++;
        return Promise.resolve({ ok: false, id, code: v.code, message: v.message });
      }
    }
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
        resolve({ ok: false, id, code: 'DROPPED', message: 'dropped: the queue is full' });
      } else {
        resolve({
          ok: false,
          id,
          code: 'BACKPRESSURE',
          message: 'the send queue is full; try again shortly',
        });
      }
    });
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
    const added = topics.filter((t) => !this.#topics.has(t));
    for (const t of added) this.#topics.add(t);
    if (added.length > 0 && this.#machine.state === 'open')
      this.#sendRaw(JSON.stringify({ type: 'subscribe', topics: added }));
  }

  unsubscribe(topics: readonly string[]): void {
    const removed = topics.filter((t) => this.#topics.delete(t));
    if (removed.length > 0 && this.#machine.state === 'open') {
      this.#sendRaw(JSON.stringify({ type: 'unsubscribe', topics: removed }));
    }
  }

  /** Batching on (default) or off (each message sent alone, at once); takes effect immediately. */
  setOptimization(enabled: boolean): void {
    this.#batcher.setOptimization(enabled);
  }

  /** Resolves true once every send has settled, or false after `timeoutMs`. */
  async drain(timeoutMs = 10_000): Promise<boolean> {
    const start = this.#clock.monotonicNow();
    this.#batcher.flush();
    while (this.#outbox.size > 0) {
      if (this.#clock.monotonicNow() - start >= timeoutMs || this.#machine.state === 'closed') return false;
      await new Promise<void>((r) => this.#clock.setTimeout(r, 10));
    }
    return true;
  }

  /** One snapshot of everything measured; the shape is stable (see docs/client.md). */
  getMetrics(): ServiceMetrics {
    const batching = this.#batcher.stats();
    const latency = this.#latency.snapshot();
    const dropped =
      batching.droppedByPriority.high + batching.droppedByPriority.medium + batching.droppedByPriority.low;
    const c = this.#counters;
    return {
      at: this.#clock.now(),
      windowStartedAt: this.#windowStartedAt,
      connection: {
        state: this.#machine.state,
        connectedAt: this.#connectedAt,
        reconnects: c.reconnects,
        lastCloseCode: this.#lastCloseCode,
        sessionId: this.#sessionId,
        lastEventSeq: this.#events.lastSeq ?? null,
      },
      latency,
      quality: connectionQuality(
        { avgLatencyMs: latency.avgMs, errorRate: c.errorRate(dropped), reconnects: c.reconnects },
        this.#o.qualityWeights,
        this.#o.dropRateSlope,
      ),
      batching,
      handlers: { ...this.#handlers.stats(), staleCallbacksRemoved: c.staleCallbacksRemoved },
      messages: {
        sent: c.sent,
        acked: c.acked,
        rejected: c.rejected,
        errors: c.errors,
        retries: c.retries,
        pending: this.#outbox.size,
      },
    };
  }

  /** Closes for good: every timer and listener is cleared, unsettled sends resolve CLOSED. */
  async close(): Promise<void> {
    if (this.#machine.state === 'closed') return;
    const conn = this.#conn;
    this.#conn = undefined;
    this.#shutdown('CLOSED', 'the service was closed');
    this.#machine.set('closed', { code: 1000, reason: 'closed by client' });
    this.#rejectWaiters(new ClientError('CLOSED', 'WebSocketService closed'));
    this.#handlers.clear();
    await conn?.close();
  }

  // ---------------- connection ----------------

  #openSocket(): void {
    if (!this.#machine.set('connecting')) return;
    const conn: SocketConnection = new SocketConnection(
      this.#o.WebSocket,
      this.#o.url,
      this.#clock,
      this.#o.connectTimeoutMs,
      {
        onOpen: () => this.#sendHello(),
        onText: (data) => this.#onFrame(data),
        onClosed: (code, reason) => {
          if (this.#conn !== conn) return;
          this.#conn = undefined;
          this.#lost({ code, reason });
        },
      },
    );
    this.#conn = conn;
  }

  #sendHello(): void {
    const hello: Obj = { type: 'hello', clientId: this.#o.clientId };
    if (this.#o.token !== undefined) hello.token = this.#o.token;
    if (this.#topics.size > 0) hello.topics = [...this.#topics];
    const resume = this.#events.resumeField();
    if (resume !== undefined) hello.resume = resume;
    this.#conn?.send(JSON.stringify(hello));
  }

  /** The socket is gone: unacked high/medium messages go back to the queue; then reconnect or stop. */
  #lost(reason: StateReason): void {
    if (this.#closing) return;
    this.#heartbeat.stop();
    this.#lastCloseCode = reason.code ?? null;
    this.#connectedAt = null;
    const { resend, dropped } = this.#outbox.connectionLost();
    this.#counters.errors += resend.length + dropped;
    this.#batcher.requeue(resend);
    if (reason.code !== undefined && TERMINAL_CLOSE_CODES.has(reason.code)) {
      this.#terminate({ ...reason, terminal: true });
      return;
    }
    this.#machine.set('reconnecting', reason);
    this.#scheduleReconnect();
  }

  #terminate(reason: StateReason): void {
    this.#shutdown('CLOSED', `connection closed for good (${reason.code ?? ''} ${reason.reason ?? ''})`);
    this.#machine.set('closed', reason);
    this.#rejectWaiters(
      new ClientError(
        'TERMINAL_CLOSE',
        `connection refused for good: close ${reason.code} ${reason.reason ?? ''}`,
      ),
    );
  }

  /** Stops everything that runs on its own and settles every unsettled send. */
  #shutdown(code: 'CLOSED', message: string): void {
    this.#closing = true;
    this.#timers.stop();
    if (this.#reconnectTimer !== undefined) this.#clock.clearTimeout(this.#reconnectTimer);
    this.#reconnectTimer = undefined;
    this.#o.network?.removeEventListener('online', this.#onOnline);
    this.#o.network?.removeEventListener('offline', this.#onOffline);
    this.#heartbeat.stop();
    this.#batcher.dispose();
    this.#batcher.takeAll();
    this.#outbox.failAll(code, message);
  }

  #scheduleReconnect(): void {
    if (this.#reconnectTimer !== undefined || this.#offline) return;
    if (this.#backoff.attempt >= this.#o.maxReconnectAttempts) {
      this.#terminate({ reason: 'reconnect attempts exhausted' });
      return;
    }
    this.#reconnectTimer = this.#clock.setTimeout(() => {
      this.#reconnectTimer = undefined;
      this.#openSocket();
    }, this.#backoff.next());
  }

  #networkChanged(online: boolean): void {
    this.#offline = !online;
    if (this.#machine.state !== 'reconnecting') return;
    if (this.#reconnectTimer !== undefined) this.#clock.clearTimeout(this.#reconnectTimer);
    this.#reconnectTimer = undefined;
    if (online) this.#openSocket();
  }

  // ---------------- inbound ----------------

  #onFrame(data: unknown): void {
    let frame: Obj;
    try {
      const parsed: unknown = JSON.parse(typeof data === 'string' ? data : String(data));
      if (parsed === null || typeof parsed !== 'object') return;
      frame = parsed as Obj;
    } catch {
      return;
    }
    switch (frame.type) {
      case 'welcome':
        this.#onWelcome(frame);
        break;
      case 'ack':
        this.#onAck(frame);
        break;
      case 'event':
        this.#onEvent(frame);
        break;
      case 'events':
        if (Array.isArray(frame.events)) for (const ev of frame.events) this.#onEvent(ev as Obj);
        break;
      case 'pong':
        if (typeof frame.ts === 'number') this.#heartbeat.onPong(frame.ts);
        break;
      case 'error':
        this.#onErrorFrame(frame);
        break;
    }
  }

  #onWelcome(frame: Obj): void {
    if (this.#machine.state !== 'connecting') return;
    this.#conn?.established();
    const limits = (frame.limits ?? {}) as Obj;
    if (typeof limits.maxInFlight === 'number' && limits.maxInFlight > 0) {
      this.#maxInFlight = Math.min(this.#o.maxInFlightFrames, limits.maxInFlight);
    }
    if (typeof limits.maxBatchSize === 'number' && limits.maxBatchSize > 0) {
      this.#batcher.limitBatchSize(limits.maxBatchSize);
    }
    const eventSeq = typeof frame.eventSeq === 'number' ? frame.eventSeq : 0;
    const resumed = frame.resumed === true;
    const reload = this.#events.welcome(eventSeq, resumed);
    this.#sessionId = typeof frame.sessionId === 'string' ? frame.sessionId : null;
    this.#connectedAt = this.#clock.now();
    if (this.#everOpened) this.#counters.reconnects++;
    this.#everOpened = true;
    this.#backoff.reset();
    this.#machine.set('open');
    this.#heartbeat.start();
    this.#emit('open', { sessionId: this.#sessionId ?? '', resumed });
    if (reload !== undefined) this.#emit('reload', reload);
    const waiters = this.#waiters;
    this.#waiters = [];
    for (const w of waiters) w.resolve();
    this.#batcher.notifyWritable();
  }

  #onAck(frame: Obj): void {
    let tally: AckTally | undefined;
    if (typeof frame.seq === 'number') tally = applyBatchAck(this.#outbox, frame.seq, frame.results);
    else tally = applySingleAck(this.#outbox, frame);
    if (tally) {
      this.#counters.acked += tally.acked;
      this.#counters.rejected += tally.rejected;
      this.#counters.errors += tally.errors;
    }
    this.#batcher.notifyWritable();
  }

  #onErrorFrame(frame: Obj): void {
    const { notice, errors } = applyErrorFrame(this.#outbox, frame);
    this.#counters.errors += errors;
    this.#emit('error', notice);
    this.#batcher.notifyWritable();
  }

  #onEvent(ev: Obj): void {
    const frame = this.#events.accept(ev);
    if (frame === undefined) return;
    this.#emit('event', frame);
    this.#handlers.emit(frame.topic, frame);
    this.#handlers.emit(frame.name, frame);
  }

  // ---------------- outbound ----------------

  #writable(): 'open' | 'busy' | 'closed' {
    const conn = this.#conn;
    if (conn === undefined || this.#machine.state !== 'open') return 'closed';
    // at the in-flight limit the next ack calls notifyWritable: no need to poll
    if (this.#outbox.framesInFlight >= this.#maxInFlight) return 'closed';
    return conn.bufferedAmount > this.#o.maxBufferedBytes ? 'busy' : 'open';
  }

  #write(frame: OutgoingFrame): void {
    this.#outbox.sent(frame);
    this.#counters.sent += frame.messages.length;
    if (!this.#conn?.send(frame.text)) this.#conn?.drop('send failed');
  }

  #sendRaw(text: string): void {
    this.#conn?.send(text);
  }

  #settled(msg: QueuedMessage, outcome: SendOutcome): void {
    if (!this.#handlers.has('ack') && !this.#handlers.has(msg.type)) return;
    const notice: AckNotice = { id: msg.id, type: msg.type, outcome };
    this.#emit('ack', notice);
    this.#handlers.emit(msg.type, notice);
  }

  #emit<K extends keyof ServiceEventMap>(key: K, payload: ServiceEventMap[K]): void {
    this.#handlers.emit(key, payload);
  }

  // ---------------- timers ----------------

  #resetStats(): void {
    this.#counters.reset();
    this.#batcher.resetStats();
    this.#handlers.resetStats();
    this.#windowStartedAt = this.#clock.now();
  }

  #rejectWaiters(error: ClientError): void {
    const waiters = this.#waiters;
    this.#waiters = [];
    for (const w of waiters) w.reject(error);
  }
}
