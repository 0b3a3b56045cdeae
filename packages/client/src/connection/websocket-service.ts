import {
  type EventFrame,
  type EventName,
  isMessageType,
  type MessageDataMap,
  type MessageType,
  type Priority,
  TERMINAL_CLOSE_CODES,
  type Topic,
  validateMessage,
} from '@av-gym/protocol';
import type { OutgoingFrame } from '../batcher/frame-builder.js';
import { MessageBatcher } from '../batcher/message-batcher.js';
import type { QueuedMessage } from '../batcher/queued-message.js';
import type { Clock, RandomSource, TimerHandle } from '../clock.js';
import { createIdGenerator } from '../id.js';
import { connectionQuality } from '../metrics/connection-quality.js';
import { type Handler, type HandlerOptions, HandlerRegistry } from '../metrics/handler-registry.js';
import { LatencyTracker } from '../metrics/latency-tracker.js';
import { MessageCounters, type ServiceMetrics } from '../metrics/service-metrics.js';
import { type AckTally, applyBatchAck, applySingleAck } from './ack-applier.js';
import { Backoff } from './backoff.js';
import { Heartbeat } from './heartbeat.js';
import { Outbox, type SendOutcome } from './outbox.js';
import {
  type ResolvedServiceOptions,
  resolveServiceOptions,
  type WebSocketLike,
  type WebSocketServiceOptions,
} from './service-options.js';
import { type ConnectionState, ConnectionStateMachine, type StateChange, type StateReason } from './state.js';

/** Emitted as `reload` when the server could not replay the gap: refetch state over HTTP. */
export interface ReloadNotice {
  reason: 'resume_failed';
  /** The server's newest event seq at welcome; events after it follow live. */
  eventSeq: number;
}

/** Emitted as `ack` (and under the message's type) whenever a send settles. */
export interface AckNotice {
  id: string;
  type: string;
  outcome: SendOutcome;
}

/** Service-level events and their payloads. Topics and event names carry the event frame. */
export interface ServiceEventMap {
  state: StateChange;
  open: { sessionId: string; resumed: boolean };
  reload: ReloadNotice;
  ack: AckNotice;
  /** Frame errors from the server, and errors thrown by handlers. */
  error: { code: string; message: string; ref?: number | string };
  /** Every event of every subscribed topic. */
  event: EventFrame;
}

export interface SendOptions {
  /** Overrides the type's default priority (high: check_in/out, medium: member_*, low: client_stats). */
  priority?: Priority;
  /** Your own idempotency key; default a new ULID. */
  id?: string;
}

type Obj = Record<string, unknown>;
const CLIENT_CLOSE = 4000;

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
  #socket: WebSocketLike | undefined;
  #generation = 0;
  #connectTimer: TimerHandle | undefined;
  #reconnectTimer: TimerHandle | undefined;
  #intervals: TimerHandle[] = [];
  #waiters: { resolve: () => void; reject: (e: Error) => void }[] = [];
  #maxInFlight: number;
  #lastEventSeq: number | undefined;
  #resumeSent = false;
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
      onDead: () => this.#dropSocket('heartbeat: pongs missed'),
    });
  }

  get state(): ConnectionState {
    return this.#machine.state;
  }

  /** Opens the connection; resolves at the first welcome (retrying with backoff until then), rejects on a terminal close or `close()`. */
  connect(): Promise<void> {
    const state = this.#machine.state;
    if (state === 'open') return Promise.resolve();
    if (state === 'closed') return Promise.reject(new Error('WebSocketService is closed'));
    const p = new Promise<void>((resolve, reject) => this.#waiters.push({ resolve, reject }));
    if (state === 'idle') {
      this.#startTimers();
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
   * Retryable server codes never resolve: the message is resent with the same id.
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
        lastEventSeq: this.#lastEventSeq ?? null,
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
    this.#closing = true;
    this.#stopTimers();
    this.#o.network?.removeEventListener('online', this.#onOnline);
    this.#o.network?.removeEventListener('offline', this.#onOffline);
    this.#heartbeat.stop();
    this.#batcher.dispose();
    this.#batcher.takeAll();
    this.#outbox.failAll('CLOSED', 'the service was closed');
    const socket = this.#socket;
    this.#detach();
    this.#machine.set('closed', { code: 1000, reason: 'closed by client' });
    this.#rejectWaiters(new Error('WebSocketService closed'));
    this.#handlers.clear();
    if (socket !== undefined) await closeAndWait(socket, this.#clock);
  }

  // ---------------- connection ----------------

  #openSocket(): void {
    if (!this.#machine.set('connecting')) return;
    const gen = ++this.#generation;
    let socket: WebSocketLike;
    try {
      socket = new this.#o.WebSocket(this.#o.url);
    } catch (error) {
      this.#lost({ code: 1006, reason: `cannot open: ${String(error)}` });
      return;
    }
    this.#socket = socket;
    socket.onopen = () => {
      if (gen === this.#generation) this.#sendHello();
    };
    socket.onmessage = (ev: { data: unknown }) => {
      if (gen === this.#generation) this.#onFrame(ev.data);
    };
    socket.onclose = (ev: { code?: number; reason?: string }) => {
      if (gen !== this.#generation) return;
      this.#detach();
      this.#lost({ code: ev.code ?? 1006, reason: ev.reason ?? '' });
    };
    socket.onerror = () => {};
    this.#connectTimer = this.#clock.setTimeout(() => {
      this.#connectTimer = undefined;
      this.#dropSocket('connect timeout');
    }, this.#o.connectTimeoutMs);
  }

  #sendHello(): void {
    const hello: Obj = { type: 'hello', clientId: this.#o.clientId };
    if (this.#o.token !== undefined) hello.token = this.#o.token;
    if (this.#topics.size > 0) hello.topics = [...this.#topics];
    this.#resumeSent = this.#lastEventSeq !== undefined;
    if (this.#lastEventSeq !== undefined) hello.resume = { lastEventSeq: this.#lastEventSeq };
    this.#sendRaw(JSON.stringify(hello));
  }

  /** Closes the current socket from our side (timeout, dead heartbeat) and handles it as lost at once. */
  #dropSocket(reason: string): void {
    const socket = this.#socket;
    this.#detach();
    if (socket !== undefined) {
      try {
        socket.close(CLIENT_CLOSE, reason);
      } catch {
        // a socket still connecting may refuse close(); it is detached either way
      }
    }
    this.#lost({ code: CLIENT_CLOSE, reason });
  }

  #detach(): void {
    const socket = this.#socket;
    this.#generation++;
    this.#socket = undefined;
    if (this.#connectTimer !== undefined) this.#clock.clearTimeout(this.#connectTimer);
    this.#connectTimer = undefined;
    this.#heartbeat.stop();
    if (socket) {
      socket.onopen = null;
      socket.onmessage = null;
      socket.onclose = null;
      // keep an error listener: `ws` throws an error event that nobody listens to
      socket.onerror = () => {};
    }
  }

  #lost(reason: StateReason): void {
    if (this.#closing) return;
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
    this.#closing = true;
    this.#stopTimers();
    this.#batcher.dispose();
    this.#batcher.takeAll();
    this.#outbox.failAll(
      'CLOSED',
      `connection closed for good (${reason.code ?? ''} ${reason.reason ?? ''})`,
    );
    this.#machine.set('closed', reason);
    this.#rejectWaiters(
      new Error(`connection refused for good: close ${reason.code} ${reason.reason ?? ''}`),
    );
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
    if (this.#connectTimer !== undefined) this.#clock.clearTimeout(this.#connectTimer);
    this.#connectTimer = undefined;
    const limits = (frame.limits ?? {}) as Obj;
    if (typeof limits.maxInFlight === 'number' && limits.maxInFlight > 0) {
      this.#maxInFlight = Math.min(this.#o.maxInFlightFrames, limits.maxInFlight);
    }
    const eventSeq = typeof frame.eventSeq === 'number' ? frame.eventSeq : 0;
    const resumed = frame.resumed === true;
    if (this.#resumeSent && !resumed) this.#emit('reload', { reason: 'resume_failed', eventSeq });
    if (!resumed) this.#lastEventSeq = eventSeq;
    this.#sessionId = typeof frame.sessionId === 'string' ? frame.sessionId : null;
    this.#connectedAt = this.#clock.now();
    if (this.#everOpened) this.#counters.reconnects++;
    this.#everOpened = true;
    this.#backoff.reset();
    this.#machine.set('open');
    this.#heartbeat.start();
    this.#emit('open', { sessionId: this.#sessionId ?? '', resumed });
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
    const code = typeof frame.code === 'string' ? frame.code : 'BAD_FRAME';
    const message = typeof frame.message === 'string' ? frame.message : '';
    const ref = typeof frame.ref === 'number' || typeof frame.ref === 'string' ? frame.ref : undefined;
    this.#emit('error', ref === undefined ? { code, message } : { code, message, ref });
    let messages: readonly QueuedMessage[] | undefined;
    if (typeof ref === 'number') messages = this.#outbox.ackBatch(ref);
    else if (typeof ref === 'string') messages = this.#outbox.ackSingle(ref);
    for (const msg of messages ?? []) {
      this.#counters.errors++;
      // our own frame was malformed: sending it again cannot help
      if (code === 'BAD_FRAME') this.#outbox.apply(msg.id, { kind: 'rejected', code, message });
      else this.#outbox.retryLater(msg);
    }
    this.#batcher.notifyWritable();
  }

  #onEvent(ev: Obj): void {
    if (typeof ev.seq !== 'number' || typeof ev.topic !== 'string' || typeof ev.name !== 'string') return;
    if (this.#lastEventSeq !== undefined && ev.seq <= this.#lastEventSeq) return;
    this.#lastEventSeq = ev.seq;
    const frame = ev as unknown as EventFrame;
    this.#emit('event', frame);
    this.#handlers.emit(ev.topic, frame);
    this.#handlers.emit(ev.name, frame);
  }

  // ---------------- outbound ----------------

  #writable(): 'open' | 'busy' | 'closed' {
    const socket = this.#socket;
    if (socket === undefined || this.#machine.state !== 'open') return 'closed';
    if (
      socket.bufferedAmount > this.#o.maxBufferedBytes ||
      this.#outbox.framesInFlight >= this.#maxInFlight
    ) {
      return 'busy';
    }
    return 'open';
  }

  #write(frame: OutgoingFrame): void {
    this.#outbox.sent(frame);
    this.#counters.sent += frame.messages.length;
    if (!this.#sendRaw(frame.text)) this.#dropSocket('send failed');
  }

  #sendRaw(text: string): boolean {
    try {
      this.#socket?.send(text);
      return this.#socket !== undefined;
    } catch {
      return false;
    }
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

  #startTimers(): void {
    const c = this.#clock;
    this.#intervals.push(
      c.setInterval(() => {
        this.#handlers.cleanup(this.#o.unusedHandlerAgeMs);
        this.#counters.staleCallbacksRemoved += this.#outbox.expireStale(this.#o.unusedHandlerAgeMs);
      }, this.#o.memoryCheckIntervalMs),
      c.setInterval(() => this.#resetStats(), this.#o.statsResetIntervalMs),
    );
    if (this.#o.clientStatsIntervalMs > 0) {
      this.#intervals.push(c.setInterval(() => this.#sendClientStats(), this.#o.clientStatsIntervalMs));
    }
  }

  #stopTimers(): void {
    for (const t of this.#intervals) this.#clock.clearInterval(t);
    this.#intervals = [];
    if (this.#reconnectTimer !== undefined) this.#clock.clearTimeout(this.#reconnectTimer);
    this.#reconnectTimer = undefined;
    if (this.#connectTimer !== undefined) this.#clock.clearTimeout(this.#connectTimer);
    this.#connectTimer = undefined;
  }

  #resetStats(): void {
    this.#counters.reset();
    this.#batcher.resetStats();
    this.#handlers.resetStats();
    this.#windowStartedAt = this.#clock.now();
  }

  #sendClientStats(): void {
    if (this.#machine.state !== 'open') return;
    const m = this.getMetrics();
    const { score, latency, dropRate, stability } = m.quality;
    void this.send('client_stats', {
      state: m.connection.state,
      quality: { score, latency, dropRate, stability },
      latencyMs: { avg: m.latency.avgMs, p50: m.latency.p50Ms, p95: m.latency.p95Ms },
      reconnects: m.connection.reconnects,
      batching: {
        batchesSent: m.batching.batchesSent,
        messagesSent: m.batching.messagesSent,
        avgBatchSize: m.batching.avgBatchSize,
        savedRatio: m.batching.savedRatio,
        queueDepth: m.batching.queueDepth,
      },
    });
  }

  #rejectWaiters(error: Error): void {
    const waiters = this.#waiters;
    this.#waiters = [];
    for (const w of waiters) w.reject(error);
  }
}

/** Closes a socket; an open one is awaited until its close event, at most 1 s. */
function closeAndWait(socket: WebSocketLike, clock: Clock): Promise<void> {
  const OPEN = 1;
  const wasOpen = socket.readyState === OPEN;
  return new Promise<void>((resolve) => {
    const timer = wasOpen ? clock.setTimeout(resolve, 1_000) : undefined;
    const done = () => {
      if (timer !== undefined) clock.clearTimeout(timer);
      resolve();
    };
    socket.onerror = () => {};
    socket.onclose = done;
    try {
      socket.close(1000, 'client closed');
    } catch {
      done();
    }
    if (!wasOpen) done();
  });
}
