import {
  type AckFrame,
  type Alert,
  type CompactAckFrame,
  decodeServerFrame,
  type ErrorFrame,
  type EventFrame,
  TERMINAL_CLOSE_CODES,
  type WelcomeFrame,
} from '@av-gym/protocol';
import type { Clock, RandomSource, TimerHandle } from '../clock.js';
import { inflateText } from '../codec/inflater.js';
import { ClientError } from '../errors.js';
import type { LatencyTracker } from '../metrics/latency-tracker.js';
import { Backoff } from './backoff.js';
import { EventStream } from './event-stream.js';
import { Heartbeat } from './heartbeat.js';
import { hintedDelayMs, type ReconnectHint } from './reconnect-hint.js';
import type { ReloadNotice } from './service-events.js';
import type { ResolvedServiceOptions } from './service-options.js';
import { SocketConnection } from './socket-connection.js';
import { type ConnectionState, ConnectionStateMachine, type StateChange, type StateReason } from './state.js';

/** What a welcome said. */
export interface OpenInfo {
  sessionId: string;
  resumed: boolean;
  /** `welcome.limits` as sent. */
  limits: WelcomeFrame['limits'];
  /** True for every welcome after the first. */
  reconnect: boolean;
  /** Set when a resume failed: the app must reload over HTTP. */
  reload: ReloadNotice | undefined;
  /** `welcome.codec`: `deflate-raw` when the server takes compressed frames, else `json`. */
  codec: string;
}

/** What the session reports to the service. */
export interface SessionHooks {
  onState(change: StateChange): void;
  /** Each welcome; the state is `open`. */
  onOpen(info: OpenInfo): void;
  /** The socket is gone (before the session reconnects or stops for good). */
  onLost(reason: StateReason): void;
  /** Closed for good by a terminal close code or used-up attempts (not by `close()`). */
  onTerminal(reason: StateReason): void;
  /** Each new event, in seq order (a replay of one already applied is skipped). */
  onEvent(event: EventFrame): void;
  /** The server's answers to our frames: acks and frame errors. */
  onReply(frame: AckFrame | CompactAckFrame | ErrorFrame): void;
  /** Extension: an alert changed state (only with the `alerts` topic). */
  onAlert?(alert: Alert): void;
}

/** Connection facts for the metrics. */
export interface SessionInfo {
  connectedAt: number | null;
  sessionId: string | null;
  lastCloseCode: number | null;
  lastEventSeq: number | undefined;
}

/**
 * The connection to one server across reconnects: the state machine, one socket at a time,
 * hello with topics and resume, welcome, heartbeat, full-jitter reconnects, online/offline.
 * It knows nothing of messages; the service builds the outbox and batching on top.
 */
export class Session {
  readonly #o: ResolvedServiceOptions;
  readonly #clock: Clock;
  readonly #hooks: SessionHooks;
  readonly #machine: ConnectionStateMachine;
  readonly #backoff: Backoff;
  readonly #random: RandomSource;
  /** The window a `goaway` on the current socket hinted; used once, by the reconnect after its close. */
  #hint: ReconnectHint | undefined;
  readonly #heartbeat: Heartbeat;
  readonly #events = new EventStream();
  readonly #topics = new Set<string>();
  #conn: SocketConnection | undefined;
  #reconnectTimer: TimerHandle | undefined;
  #waiters: { resolve: () => void; reject: (e: ClientError) => void }[] = [];
  #everOpened = false;
  #offline = false;
  #stopped = false;
  readonly #info: SessionInfo = {
    connectedAt: null,
    sessionId: null,
    lastCloseCode: null,
    lastEventSeq: undefined,
  };
  readonly #onOnline = () => this.#networkChanged(true);
  readonly #onOffline = () => this.#networkChanged(false);

  constructor(
    options: ResolvedServiceOptions,
    random: RandomSource,
    latency: LatencyTracker,
    hooks: SessionHooks,
  ) {
    this.#o = options;
    this.#clock = options.clock;
    this.#hooks = hooks;
    for (const t of options.topics) this.#topics.add(t);
    this.#machine = new ConnectionStateMachine((change) => hooks.onState(change));
    this.#random = random;
    this.#backoff = new Backoff(random, {
      baseDelayMs: options.reconnectBaseDelayMs,
      maxDelayMs: options.reconnectMaxDelayMs,
    });
    this.#heartbeat = new Heartbeat({
      clock: this.#clock,
      intervalMs: options.pingIntervalMs,
      maxMissedPongs: options.maxMissedPongs,
      sendPing: (ts) => this.send(JSON.stringify({ type: 'ping', ts })),
      onRtt: (ms) => latency.record(ms),
      onDead: () => this.#conn?.drop('heartbeat: pongs missed'),
    });
  }

  get state(): ConnectionState {
    return this.#machine.state;
  }

  get info(): SessionInfo {
    return { ...this.#info, lastEventSeq: this.#events.lastSeq };
  }

  get bufferedAmount(): number {
    return this.#conn?.bufferedAmount ?? 0;
  }

  /** Starts connecting (from idle); resolves at the next welcome, rejects when closed for good. */
  open(): Promise<void> {
    const state = this.#machine.state;
    if (state === 'open') return Promise.resolve();
    if (state === 'closed') return Promise.reject(new ClientError('CLOSED', 'WebSocketService is closed'));
    const p = new Promise<void>((resolve, reject) => this.#waiters.push({ resolve, reject }));
    if (state === 'idle') {
      this.#o.network?.addEventListener('online', this.#onOnline);
      this.#o.network?.addEventListener('offline', this.#onOffline);
      this.#openSocket();
    }
    return p;
  }

  /** Writes a text (or, once negotiated, a compressed binary) frame on the open socket; false when there is none or it refused. */
  send(data: string | Uint8Array): boolean {
    return this.#conn?.send(data) ?? false;
  }

  /** Gives up on the current socket (a failed write): reported as lost, then reconnects. */
  drop(reason: string): void {
    this.#conn?.drop(reason);
  }

  /** Adds topics, sent at once when open and in every later hello. */
  subscribe(topics: readonly string[], subscribe: boolean): void {
    const changed = topics.filter((t) => (subscribe ? !this.#topics.has(t) : this.#topics.has(t)));
    for (const t of changed) {
      if (subscribe) this.#topics.add(t);
      else this.#topics.delete(t);
    }
    if (changed.length > 0 && this.#machine.state === 'open') {
      this.send(JSON.stringify({ type: subscribe ? 'subscribe' : 'unsubscribe', topics: changed }));
    }
  }

  /** Closes for good: timers, listeners and the socket (awaited, at most 1 s). */
  async close(): Promise<void> {
    if (this.#machine.state === 'closed') return;
    const conn = this.#conn;
    this.#conn = undefined;
    this.#stop();
    this.#machine.set('closed', { code: 1000, reason: 'closed by client' });
    this.#rejectWaiters(new ClientError('CLOSED', 'WebSocketService closed'));
    await conn?.close();
  }

  #openSocket(): void {
    if (!this.#machine.set('connecting')) return;
    this.#hint = undefined;
    const conn: SocketConnection = new SocketConnection(
      this.#o.WebSocket,
      this.#o.url,
      this.#clock,
      this.#o.connectTimeoutMs,
      {
        onOpen: () => this.#sendHello(),
        onText: (data) => this.#onText(data),
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
    const { token, codecs, acks } = this.#o;
    const resume = this.#events.resumeField();
    const hello = {
      type: 'hello',
      clientId: this.#o.clientId,
      ...(token === undefined ? {} : { token }),
      ...(this.#topics.size > 0 ? { topics: [...this.#topics] } : {}),
      ...(resume === undefined ? {} : { resume }),
      ...(codecs.length > 0 ? { codecs: [...codecs] } : {}),
      ...(acks.length > 0 ? { acks: [...acks] } : {}),
    };
    this.send(JSON.stringify(hello));
  }

  /** The one way in: decode, then each frame to its place. A frame that does not decode is ignored. */
  #onText(data: unknown): void {
    // binary: a compact ack under `compact-deflate` (only an inflater reads it; else ignored)
    const text = typeof data === 'string' ? data : inflateText(data, this.#o.inflate);
    if (text === undefined) return;
    const decoded = decodeServerFrame(text);
    if (!decoded.ok) return;
    const frame = decoded.frame;
    switch (frame.type) {
      case 'welcome':
        this.#onWelcome(frame);
        return;
      case 'pong':
        this.#heartbeat.onPong(frame.ts);
        return;
      case 'event':
        this.#onEvent(frame);
        return;
      case 'events':
        for (const event of frame.events) this.#onEvent(event);
        return;
      case 'alert':
        this.#hooks.onAlert?.(frame.alert);
        return;
      case 'goaway':
        // the close (1012) follows; the reconnect after it waits inside this window
        this.#hint = { reconnectMinMs: frame.reconnectMinMs, reconnectMaxMs: frame.reconnectMaxMs };
        return;
      default:
        this.#hooks.onReply(frame);
    }
  }

  #onEvent(event: EventFrame): void {
    if (this.#events.accept(event) !== undefined) this.#hooks.onEvent(event);
  }

  #onWelcome(frame: WelcomeFrame): void {
    if (this.#machine.state !== 'connecting') return;
    this.#conn?.established();
    const { resumed, sessionId, limits } = frame;
    const reload = this.#events.welcome(frame.eventSeq, resumed);
    this.#info.sessionId = sessionId;
    this.#info.connectedAt = this.#clock.now();
    const reconnect = this.#everOpened;
    this.#everOpened = true;
    this.#backoff.reset();
    this.#machine.set('open');
    this.#heartbeat.start();
    const codec = frame.codec ?? 'json';
    this.#hooks.onOpen({ sessionId, resumed, limits, reconnect, reload, codec });
    const waiters = this.#waiters;
    this.#waiters = [];
    for (const w of waiters) w.resolve();
  }

  #lost(reason: StateReason): void {
    if (this.#stopped) return;
    this.#heartbeat.stop();
    this.#info.lastCloseCode = reason.code ?? null;
    this.#info.connectedAt = null;
    this.#hooks.onLost(reason);
    if (reason.code !== undefined && TERMINAL_CLOSE_CODES.has(reason.code)) {
      this.#terminate({ ...reason, terminal: true });
      return;
    }
    this.#machine.set('reconnecting', reason);
    this.#scheduleReconnect();
  }

  #terminate(reason: StateReason): void {
    this.#stop();
    this.#hooks.onTerminal(reason);
    this.#machine.set('closed', reason);
    const why =
      reason.code === undefined ? (reason.reason ?? '') : `close ${reason.code} ${reason.reason ?? ''}`;
    this.#rejectWaiters(new ClientError('TERMINAL_CLOSE', `connection refused for good: ${why}`));
  }

  #stop(): void {
    this.#stopped = true;
    if (this.#reconnectTimer !== undefined) this.#clock.clearTimeout(this.#reconnectTimer);
    this.#reconnectTimer = undefined;
    this.#o.network?.removeEventListener('online', this.#onOnline);
    this.#o.network?.removeEventListener('offline', this.#onOffline);
    this.#heartbeat.stop();
  }

  #scheduleReconnect(): void {
    if (this.#reconnectTimer !== undefined || this.#offline) return;
    const hint = this.#hint;
    this.#hint = undefined;
    // A hinted restart is planned, not a failure: it counts no attempt and waits inside its window.
    if (hint === undefined && this.#backoff.attempt >= this.#o.maxReconnectAttempts) {
      this.#terminate({ reason: 'reconnect attempts used up' });
      return;
    }
    const delayMs = hint === undefined ? this.#backoff.next() : hintedDelayMs(hint, this.#random);
    this.#reconnectTimer = this.#clock.setTimeout(() => {
      this.#reconnectTimer = undefined;
      this.#openSocket();
    }, delayMs);
  }

  #networkChanged(online: boolean): void {
    this.#offline = !online;
    if (this.#machine.state !== 'reconnecting') return;
    if (this.#reconnectTimer !== undefined) this.#clock.clearTimeout(this.#reconnectTimer);
    this.#reconnectTimer = undefined;
    if (online) this.#openSocket();
  }

  #rejectWaiters(error: ClientError): void {
    const waiters = this.#waiters;
    this.#waiters = [];
    for (const w of waiters) w.reject(error);
  }
}
