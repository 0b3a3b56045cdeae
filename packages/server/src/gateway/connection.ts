import { randomUUID } from 'node:crypto';
import {
  type AckFormat,
  type BatchFrame,
  CLOSE_CODES,
  COMPACT_DEFLATE_MIN_BYTES,
  type Codec,
  compactAck,
  type DecodedClientFrame,
  DROPPABLE_EVENTS,
  decodeFrame,
  type FrameErrorCode,
  type HelloFrame,
  MAX_SUBSCRIBED_TOPICS,
  negotiateAckFormat,
  negotiateCodec,
  type ServerEvent,
  type ServerFrame,
  type TypeResult,
} from '@av-gym/protocol';
import type { Logger } from 'pino';
import type { WebSocket } from 'ws';
import type { Clock } from '../clock.js';
import type { ServerConfig } from '../config.js';
import type { Actor, BatchConsumer } from '../consumer/types.js';
import { actorOf, type Credential } from '../http/credential.js';
import type { ServerMetrics } from '../metrics/server-metrics.js';
import { BatchIntake } from './batch-intake.js';
import type { CredentialRegistry } from './credential-registry.js';
import { EarlyFrames } from './early-frames.js';
import { deflateAck, encodeEvents, encodeFrame } from './encode.js';
import type { EventFanout, FanoutTarget } from './event-fanout.js';
import type { EventHistory } from './event-history.js';
import { inflateFrame } from './inflate-frame.js';
import type { OutboundBudget } from './outbound-budget.js';
import { OutboundQueue } from './outbound-queue.js';
import { RateBudget } from './rate-budget.js';
import { readHello } from './read-hello.js';
import { StrikeCounter } from './strike-counter.js';
import { changeSubscriptions, expandTopics, type Subscriptions, subscribedTo } from './topic-match.js';

/** Bad frames within a minute that close a connection with 4400. */
export const BAD_FRAME_LIMIT = 10;
/**
 * Frames other than a valid `hello` a socket may send before it: each is answered
 * (NOT_AUTHENTICATED or BAD_FRAME) and the one that reaches this limit closes it with 4400.
 */
export const PREAUTH_STRIKE_LIMIT = 3;
/** Longest delay one timer takes (Node fires longer ones at once); a later expiry re-arms. */
const MAX_TIMER_MS = 2 ** 31 - 1;
/** A WebSocket close reason is at most 123 bytes. */
const MAX_CLOSE_REASON_BYTES = 123;
/** Events per replay frame on resume. */
const REPLAY_CHUNK = 500;
/** Time a closing connection gets to finish its close handshake before it is cut. */
const CLOSE_GRACE_MS = 2000;

export interface ConnectionDeps {
  config: ServerConfig;
  clock: Clock;
  logger: Logger;
  consumer: BatchConsumer;
  metrics: ServerMetrics;
  history: EventHistory;
  fanout: EventFanout;
  /** One outbound byte budget shared by every connection. */
  outboundBudget: OutboundBudget;
  /** The credential a token stands for (a configured API token or a live staff session), else undefined. */
  authenticate(token: string | undefined): Promise<Credential | undefined>;
  /** Open connections by credential, and the rate budget each credential's connections share. */
  credentials: CredentialRegistry<Connection>;
  /** True once shutdown has started: new batches are refused with UNAVAILABLE. */
  draining(): boolean;
  /** Registers work shutdown must wait for. */
  track(work: Promise<unknown>): void;
  /** Every state change, once (e.g. the gateway frees a pre-auth slot when `hello` is done with). */
  onTransition?(connection: Connection, from: ConnectionState, to: ConnectionState): void;
  onClosed(connection: Connection): void;
}

/** `hello` and `authenticating` are pre-auth: only a `hello` is read, anything else is a strike. */
export type ConnectionState = 'hello' | 'authenticating' | 'open' | 'closed';

/**
 * One WebSocket session: handshake, frame dispatch, limits, and the outbound queue.
 * Every handler runs inside one catch: nothing a client sends can throw out of here.
 */
export class Connection implements FanoutTarget {
  readonly sessionId = randomUUID();
  clientId = '';
  topics: Subscriptions = new Set();
  /** Subscribed to the `alerts` topic (extension): gets `alert` frames. */
  wantsAlerts = false;
  /** Who this session speaks for, once `hello` was accepted (the token itself is never kept). */
  credential: Credential | undefined;
  /** Who the consumer is told sent this connection's messages (set with the credential, at hello). */
  private actor: Actor | undefined;
  private state: ConnectionState = 'hello';
  private lastSentSeq = 0;
  /** Negotiated in hello: with `deflate-raw`, binary frames carry raw-DEFLATEd JSON. */
  private codec: Codec = 'json';
  /** Negotiated in hello (`hello.acks`): full acks, or compact ones (maybe deflated). */
  private ackFormat: AckFormat = 'full';
  private readonly early = new EarlyFrames();
  private helloTimer: unknown;
  private expiryTimer: unknown;
  private closeTimer: unknown;
  private readonly queue: OutboundQueue;
  private readonly intake: BatchIntake;
  private readonly badFrames: StrikeCounter;
  private readonly preAuthStrikes: StrikeCounter;
  private readonly budget: RateBudget;

  constructor(
    private readonly socket: WebSocket,
    private readonly deps: ConnectionDeps,
  ) {
    const { config, clock, metrics } = deps;
    const now = () => clock.now();
    this.badFrames = new StrikeCounter(BAD_FRAME_LIMIT, 60_000, now);
    this.preAuthStrikes = new StrikeCounter(PREAUTH_STRIKE_LIMIT, 60_000, now);
    this.budget = new RateBudget({
      limits: {
        framesPerSec: config.frameRateLimitPerSec,
        frameBurst: config.frameRateBurst,
        messagesPerSec: config.rateLimitPerSec,
        messageBurst: config.rateLimitBurst,
      },
      now,
      onLimited: (scope, unit, n) => metrics.limited(scope, unit, n),
      onAbuse: () => this.close(CLOSE_CODES.RATE_LIMIT, 'rate limit exceeded repeatedly'),
    });
    this.intake = new BatchIntake({
      ...deps,
      budget: this.budget,
      clientId: () => this.clientId,
      lane: () => this.credential?.id ?? this.clientId,
      actor: () => this.actor,
      send: (frame) => this.send(frame),
      sendBatchAck: (frame, results) => this.sendBatchAck(frame, results),
      sendError: (code, message, ref) => this.sendError(code, message, ref),
      badFrame: (message, ref) => this.badFrame(message, ref),
      onError: (error) => this.fail(error),
    });
    this.queue = new OutboundQueue(socket, {
      softBytes: config.outboundSoftBytes,
      hardBytes: config.outboundHardBytes,
      isDroppable: (e) => DROPPABLE_EVENTS.has(e.name),
      encode: encodeEvents,
      onOverflow: () => this.close(CLOSE_CODES.SLOW_CONSUMER, 'slow consumer: outbound queue over its limit'),
      onDrop: (n) => metrics.events.add('dropped', n),
      onWrite: (bytes) => metrics.bytesOut(bytes),
      budget: deps.outboundBudget,
    });
    this.helloTimer = clock.setTimeout(() => {
      if (this.state === 'hello' || this.state === 'authenticating') {
        this.close(CLOSE_CODES.HELLO_TIMEOUT, 'no hello in time');
      }
    }, config.helloTimeoutMs);
    socket.on('message', (data, isBinary) => this.guard(() => this.onMessage(toBuffer(data), isBinary)));
    socket.on('close', (code) => this.guard(() => this.onSocketClosed(code)));
  }

  /** Outbound bytes not yet written (socket buffer + queue). */
  get queuedBytes(): number {
    return this.queue.depthBytes;
  }

  get isOpen(): boolean {
    return this.state === 'open';
  }

  /** An encoded `alert` frame, written when this session asked for alerts. */
  pushAlert(data: Buffer): void {
    if (this.state !== 'open' || !this.wantsAlerts) return;
    this.deps.metrics.frameOut('alert');
    this.queue.push({ data });
  }

  /** Fan-out entry point: the shared frame, or a re-encoded one when some events were already sent. */
  deliver(data: Buffer, events: readonly ServerEvent[]): void {
    if (this.state !== 'open' || events.length === 0) return;
    const first = events[0] as ServerEvent;
    const last = events[events.length - 1] as ServerEvent;
    if (last.seq <= this.lastSentSeq) return;
    if (first.seq <= this.lastSentSeq) {
      const rest = events.filter((e) => e.seq > this.lastSentSeq);
      this.pushEvents(encodeEvents(rest), rest);
    } else {
      this.pushEvents(data, events);
    }
  }

  /**
   * The node drains: a `goaway` with the reconnect window, then close `1012` (service restart).
   * Every batch this connection sent was answered before (the gateway settles first).
   */
  restart(hint: { reconnectMinMs: number; reconnectMaxMs: number }): void {
    if (this.state === 'open') this.send({ type: 'goaway', ...hint });
    this.close(CLOSE_CODES.SERVICE_RESTART, 'service restart');
  }

  /** Closes the session with `code` (idempotent); the socket is cut if the peer does not answer. */
  close(code: number, reason: string): void {
    if (this.state === 'closed') return;
    this.cleanup();
    this.deps.metrics.closed(code);
    try {
      this.socket.close(code, closeReason(reason));
    } catch {
      this.socket.terminate();
    }
    this.closeTimer = this.deps.clock.setTimeout(() => this.socket.terminate(), CLOSE_GRACE_MS);
  }

  private guard(fn: () => void): void {
    try {
      fn();
    } catch (error) {
      this.fail(error);
    }
  }

  /** The one boundary for unexpected errors: log, and close this connection only. */
  private fail(error: unknown): void {
    this.deps.logger.error({ err: error, clientId: this.clientId }, 'connection handler failed');
    this.close(1011, 'internal error');
  }

  private setState(to: ConnectionState): void {
    const from = this.state;
    if (from === to) return;
    this.state = to;
    this.deps.onTransition?.(this, from, to);
  }

  private onMessage(raw: Buffer, isBinary: boolean): void {
    if (this.state === 'closed') return;
    if (this.state === 'hello') {
      this.onPreAuthFrame(raw, isBinary);
      return;
    }
    if (this.state === 'authenticating') {
      this.holdEarly(raw, isBinary);
      return;
    }
    // Paid before anything is read, so every frame counts, even one that turns out malformed.
    const limited = this.budget.frame();
    const text = isBinary ? this.inflate(raw) : raw.toString('utf8');
    if (text === undefined) return;
    const decoded = decodeFrame(text);
    if (!decoded.ok) {
      this.deps.metrics.frameIn('invalid', raw.length);
      if (limited) this.rateLimited(limited.message, decoded.ref);
      else this.badFrame(decoded.message, decoded.ref);
      return;
    }
    this.deps.metrics.frameIn(decoded.frame.type, raw.length);
    if (limited) {
      this.rateLimited(limited.message, refOf(decoded));
      return;
    }
    if (decoded.single) {
      this.intake.single(decoded.frame);
      return;
    }
    const frame = decoded.frame;
    switch (frame.type) {
      case 'hello':
        this.badFrame('hello was already received');
        return;
      case 'ping':
        this.send({ type: 'pong', ts: frame.ts, serverTime: this.deps.clock.now() });
        return;
      case 'subscribe':
      case 'unsubscribe':
        this.subscribe(frame.type, frame.topics);
        return;
      case 'batch':
        this.intake.batch(frame);
        return;
    }
  }

  /**
   * Before `hello`: only a `hello` is read. Anything else (another type, bad JSON, binary) is
   * answered and counted as a strike; {@link PREAUTH_STRIKE_LIMIT} strikes close with 4400. No
   * label, key or map entry is made from what the frame says.
   */
  private onPreAuthFrame(raw: Buffer, isBinary: boolean): void {
    const { metrics } = this.deps;
    const read = readHello(raw, isBinary);
    if (read.ok) {
      metrics.frameIn('hello', raw.length);
      this.hello(read.frame).catch((error: unknown) => this.fail(error));
    } else if (read.tooBig) {
      metrics.frameIn('invalid', raw.length);
      metrics.reject('BAD_FRAME');
      this.close(CLOSE_CODES.FRAME_TOO_BIG, read.message);
    } else {
      metrics.frameIn(read.label, raw.length);
      this.preAuthStrike(read.code, read.message);
    }
  }

  /** Frames sent after `hello` but before `welcome`: held (bounded) and read once the session opens. */
  private holdEarly(raw: Buffer, isBinary: boolean): void {
    if (!this.early.hold(raw, isBinary))
      this.preAuthStrike('NOT_AUTHENTICATED', 'wait for welcome before sending more');
  }

  private preAuthStrike(code: 'NOT_AUTHENTICATED' | 'BAD_FRAME', message: string): void {
    this.deps.metrics.reject(code);
    this.sendError(code, message);
    if (this.preAuthStrikes.hit()) this.close(CLOSE_CODES.PROTOCOL_ABUSE, 'too many frames before hello');
  }

  private rateLimited(message: string, ref?: number | string): void {
    this.deps.metrics.reject('RATE_LIMITED');
    this.sendError('RATE_LIMITED', message, ref);
  }

  /** The JSON text of a binary frame under `deflate-raw`; undefined when refused (answered here). */
  private inflate(raw: Buffer): string | undefined {
    const { metrics, config } = this.deps;
    if (this.codec !== 'deflate-raw') {
      metrics.frameIn('binary', raw.length);
      this.badFrame('binary frames need a negotiated codec; send JSON text frames');
      return undefined;
    }
    const inflated = inflateFrame(raw, config.limits.maxFrameBytes);
    if (inflated.ok) {
      metrics.compressedIn(raw.length, inflated.inflatedBytes);
      return inflated.text;
    }
    metrics.frameIn('binary', raw.length);
    if (inflated.tooLarge) this.close(CLOSE_CODES.FRAME_TOO_BIG, inflated.message);
    else this.badFrame(inflated.message);
    return undefined;
  }

  private async hello(frame: HelloFrame): Promise<void> {
    this.setState('authenticating');
    let credential: Credential | undefined;
    try {
      credential = await this.deps.authenticate(frame.token);
    } catch (error) {
      this.deps.logger.error({ err: error }, 'token check failed');
      this.close(1011, 'token check failed; retry');
      return;
    }
    if (this.state !== 'authenticating') return;
    if (!credential) {
      this.close(CLOSE_CODES.UNAUTHENTICATED, 'invalid or missing token');
      return;
    }
    if (credential.expiresAt !== undefined && credential.expiresAt <= this.deps.clock.now()) {
      this.close(CLOSE_CODES.UNAUTHENTICATED, 'session expired');
      return;
    }
    this.deps.clock.clearTimeout(this.helloTimer);
    this.credential = credential;
    this.budget.share(this.deps.credentials.join(credential.id, this));
    this.armExpiry(credential.expiresAt);
    this.clientId = frame.clientId;
    this.actor = actorOf(credential, frame.clientId);
    this.codec = negotiateCodec(frame.codecs);
    this.ackFormat = negotiateAckFormat(frame.acks);
    this.topics = expandTopics(frame.topics ?? []);
    this.wantsAlerts = (frame.topics ?? []).includes('alerts');
    const { history, config } = this.deps;
    const replay = frame.resume ? this.replayable(history.since(frame.resume.lastEventSeq)) : undefined;
    this.setState('open');
    this.send({
      type: 'welcome',
      sessionId: this.sessionId,
      serverTime: this.deps.clock.now(),
      eventSeq: history.lastSeq,
      resumed: replay !== undefined,
      limits: { ...config.limits },
      ...(frame.codecs === undefined ? {} : { codec: this.codec }),
      ...(frame.acks === undefined ? {} : { acks: this.ackFormat }),
    });
    if (replay) {
      const mine = replay.filter((e) => subscribedTo(this.topics, e));
      for (let i = 0; i < mine.length; i += REPLAY_CHUNK) {
        const chunk = mine.slice(i, i + REPLAY_CHUNK);
        this.pushEvents(encodeEvents(chunk), chunk);
      }
    }
    this.lastSentSeq = history.lastSeq;
    this.deps.fanout.add(this);
    for (const { raw, isBinary } of this.early.take()) this.onMessage(raw, isBinary);
  }

  /** The missed events, unless the oldest is past the history's age bound (then the client reloads). */
  private replayable(events: ServerEvent[] | undefined): ServerEvent[] | undefined {
    const oldest = events?.[0]?.at;
    const { clock, config } = this.deps;
    if (oldest !== undefined && oldest < clock.now() - config.eventHistoryMaxAgeMs) return undefined;
    return events;
  }

  /** Closes with 4401 when the credential expires (a session's `expiresAt`). */
  private armExpiry(expiresAt: number | undefined): void {
    if (expiresAt === undefined) return;
    const { clock } = this.deps;
    const delayMs = expiresAt - clock.now();
    this.expiryTimer =
      delayMs > MAX_TIMER_MS
        ? clock.setTimeout(() => this.armExpiry(expiresAt), MAX_TIMER_MS)
        : clock.setTimeout(
            () => this.close(CLOSE_CODES.UNAUTHENTICATED, 'session expired'),
            Math.max(0, delayMs),
          );
  }

  private subscribe(kind: 'subscribe' | 'unsubscribe', topics: string[]): void {
    const next = changeSubscriptions(this.topics, kind, topics);
    if (!next) {
      this.badFrame(`a connection may hold at most ${MAX_SUBSCRIBED_TOPICS} topics; unsubscribe some first`);
      return;
    }
    this.topics = next;
    if (topics.includes('alerts')) this.wantsAlerts = kind === 'subscribe';
    this.deps.fanout.add(this);
  }

  private badFrame(message: string, ref?: number | string): void {
    this.deps.metrics.reject('BAD_FRAME');
    this.sendError('BAD_FRAME', message, ref);
    if (this.badFrames.hit()) this.close(CLOSE_CODES.PROTOCOL_ABUSE, 'too many bad frames');
  }

  private sendError(code: FrameErrorCode, message: string, ref?: number | string): void {
    this.send(ref === undefined ? { type: 'error', code, message } : { type: 'error', code, message, ref });
  }

  private send(frame: ServerFrame): void {
    if (this.state === 'closed') return;
    this.deps.metrics.frameOut(frame.type);
    this.queue.push({ data: encodeFrame(frame) });
  }

  /**
   * A batch's ack in this connection's format: the full ack, or the compact one (messages named
   * by their place in the batch), as a binary raw-DEFLATE frame under `compact-deflate` once its
   * JSON reaches COMPACT_DEFLATE_MIN_BYTES.
   */
  private sendBatchAck(frame: BatchFrame, results: Record<string, TypeResult>): void {
    if (this.ackFormat === 'full') {
      this.send({ type: 'ack', seq: frame.seq, results });
      return;
    }
    if (this.state === 'closed') return;
    const text = encodeFrame(compactAck(frame.seq, frame.batches, results));
    this.deps.metrics.frameOut('compact_ack');
    if (this.ackFormat === 'compact-deflate' && text.length >= COMPACT_DEFLATE_MIN_BYTES) {
      this.queue.push({ data: deflateAck(text), binary: true });
    } else this.queue.push({ data: text });
  }

  private pushEvents(data: Buffer, events: readonly ServerEvent[]): void {
    this.lastSentSeq = (events[events.length - 1] as ServerEvent).seq;
    this.deps.metrics.frameOut(events.length === 1 ? 'event' : 'events');
    this.queue.push({ data, events });
  }

  private onSocketClosed(code: number): void {
    if (this.state !== 'closed') {
      this.deps.metrics.closed(code);
      this.cleanup();
    }
    this.deps.clock.clearTimeout(this.closeTimer);
    this.deps.onClosed(this);
  }

  private cleanup(): void {
    const wasOpen = this.state === 'open';
    this.setState('closed');
    this.early.clear();
    this.deps.clock.clearTimeout(this.helloTimer);
    this.deps.clock.clearTimeout(this.expiryTimer);
    if (wasOpen && this.credential) this.deps.credentials.leave(this.credential.id, this);
    this.queue.close();
    this.deps.fanout.remove(this);
  }
}

/** `reason` cut to the 123 bytes a close frame carries. */
function closeReason(reason: string): string {
  if (Buffer.byteLength(reason) <= MAX_CLOSE_REASON_BYTES) return reason;
  let cut = reason.slice(0, MAX_CLOSE_REASON_BYTES);
  while (Buffer.byteLength(cut) > MAX_CLOSE_REASON_BYTES) cut = cut.slice(0, -1);
  return cut;
}

/** What an `error` frame names a decoded frame by: a batch's `seq`, a single message's `id`. */
function refOf(decoded: DecodedClientFrame & { ok: true }): number | string | undefined {
  if (decoded.single) return decoded.frame.id;
  return decoded.frame.type === 'batch' ? decoded.frame.seq : undefined;
}

function toBuffer(data: Buffer | ArrayBuffer | Buffer[]): Buffer {
  if (Buffer.isBuffer(data)) return data;
  if (Array.isArray(data)) return Buffer.concat(data);
  return Buffer.from(data);
}
