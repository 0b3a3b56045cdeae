import { type AckFormat, COMPRESS_MIN_BYTES } from '@av-gym/protocol';
import type { MessageBatcherOptions } from '../batcher/message-batcher.js';
import { type Clock, type RandomSource, systemClock } from '../clock.js';
import { type Compressor, streamCompressor } from '../codec/frame-compressor.js';
import type { Inflater } from '../codec/inflater.js';
import { ClientError } from '../errors.js';
import { DEFAULT_QUALITY_WEIGHTS, type QualityWeights } from '../metrics/connection-quality.js';
import { DEFAULT_QUALITY_WINDOW_MS } from '../metrics/quality-window.js';
import { DEFAULT_OUTBOX_BUDGET, type OutboxBudget, type OutboxStore } from '../outbox-store/outbox-store.js';

/** The logger the service reports through: pino's `(fields, message)` methods fit as they are. */
export interface ClientLogger {
  debug?(fields: Record<string, unknown>, message: string): void;
  info(fields: Record<string, unknown>, message: string): void;
  warn(fields: Record<string, unknown>, message: string): void;
}

/** The part of a WebSocket the service uses: the browser's and `ws`'s both fit. */
export interface WebSocketLike {
  readonly readyState: number;
  readonly bufferedAmount: number;
  /** Text frames carry JSON; binary ones (a `Uint8Array`) the `deflate-raw` codec. */
  send(data: string | Uint8Array): void;
  close(code?: number, reason?: string): void;
  // Handlers take `never` so any platform's event types fit; the service annotates what it reads.
  onopen: ((event: never) => void) | null;
  onmessage: ((event: never) => void) | null;
  /** Set to `arraybuffer` when the client reads binary (compressed) acks; optional on fakes. */
  binaryType?: string;
  onclose: ((event: never) => void) | null;
  onerror: ((event: never) => void) | null;
}

/** A WebSocket class: `globalThis.WebSocket` in browsers, `WebSocket` from `ws` in Node. */
export type WebSocketConstructor = new (url: string) => WebSocketLike;

/** Browser online/offline events (`window` by default when present). */
export interface NetworkEvents {
  addEventListener(type: 'online' | 'offline', listener: () => void): void;
  removeEventListener(type: 'online' | 'offline', listener: () => void): void;
}

/** Options of {@link WebSocketService}; only `url` and `clientId` are required. */
export interface WebSocketServiceOptions {
  /** `ws://host:port/ws`. */
  url: string;
  /** Staff session or API token, sent in `hello`. */
  token?: string;
  /** Stable id of this device (desk), shown in the server's fleet view. */
  clientId: string;
  /** WebSocket class. Default `globalThis.WebSocket`; in Node pass `WebSocket` from `ws`. */
  WebSocket?: WebSocketConstructor;
  /** Topics to subscribe to from the first hello on. */
  topics?: readonly string[];
  clock?: Clock;
  /** Uniform [0,1) source for jitter and ids. Default `Math.random` (ids use crypto when not injected). */
  random?: RandomSource;
  /** Socket open + welcome must finish within this. Default 10000. */
  connectTimeoutMs?: number;
  /**
   * Reconnect backoff (full jitter): cap doubles from base to max. Defaults 1000 / 5000: a desk
   * is back within about 5 s of its server, and a node that is overwhelmed paces the fleet itself
   * (a `goaway` window before 1013).
   */
  reconnectBaseDelayMs?: number;
  reconnectMaxDelayMs?: number;
  /** Reconnect attempts before giving up (state `closed`). Default Infinity. */
  maxReconnectAttempts?: number;
  /** Ping period. Default 5000. */
  pingIntervalMs?: number;
  /** Unanswered pings that close and reconnect. Default 2. */
  maxMissedPongs?: number;
  /** Latency samples kept. Default 100. */
  latencySamples?: number;
  /** Memory check period (handler and stale-callback cleanup). Default 60000. */
  memoryCheckIntervalMs?: number;
  /** Age after which an unused temporary handler or an unacked droppable send is removed. Default 300000. */
  unusedHandlerAgeMs?: number;
  /** Cumulative statistics reset period. Default 3600000 (hourly). */
  statsResetIntervalMs?: number;
  /** `client_stats` period; 0 turns it off. Default 30000. */
  clientStatsIntervalMs?: number;
  /** Socket `bufferedAmount` above which the socket counts as backpressured. Default 1048576. */
  maxBufferedBytes?: number;
  /** Unacked frames at most (the server's `welcome.limits.maxInFlight` wins when lower). Default 16. */
  maxInFlightFrames?: number;
  /** Delay caps after a retryable rejection (full jitter). Defaults 500 / 30000. */
  retryBaseDelayMs?: number;
  retryMaxDelayMs?: number;
  /** Quality weights. Default latency 0.3, drop rate 0.4, stability 0.3. */
  qualityWeights?: QualityWeights;
  /** Drop-rate points lost per percent of errors. Default 10. */
  dropRateSlope?: number;
  /**
   * The quality score's sliding window: its drop rate (lost / settled messages) and its
   * reconnects count over the last `qualityWindowMs`. Default 300000 (5 minutes).
   */
  qualityWindowMs?: number;
  /** Where reconnects, drops and quality changes are reported (pino's `(fields, message)` shape). Default none. */
  logger?: ClientLogger;
  /** Check known message types against their schema before queueing. Default true. */
  validate?: boolean;
  /** Online/offline events; `null` turns them off. Default `globalThis` when it has `addEventListener`. */
  network?: NetworkEvents | null;
  /** Batcher settings (see MessageBatcherOptions); `optimization` false sends each message alone. */
  batching?: Partial<MessageBatcherOptions>;
  /**
   * Codecs offered in `hello.codecs`, preferred first. Default `['deflate-raw', 'json']` when a
   * compressor is available (`compress`, or `CompressionStream`), else `['json']`.
   */
  codecs?: readonly string[];
  /** Frames whose JSON is at least this many bytes are compressed (when negotiated). Default 1024. */
  compressMinBytes?: number;
  /**
   * Raw-DEFLATE compressor. Default `CompressionStream('deflate-raw')` where it exists (async);
   * in Node a sync one is cheaper: `(b) => zlib.deflateRawSync(b, { level: 1 })`. `null`: never compress.
   */
  compress?: Compressor | null;
  /**
   * Ack formats offered in `hello.acks`, preferred first (docs/protocol.md 2.8). Default
   * `['compact-deflate', 'compact']` when `inflate` is given, else `['compact']`; `[]` asks for
   * the full acks of old.
   */
  acks?: readonly AckFormat[];
  /**
   * Synchronous raw-DEFLATE inflater for binary ack frames (`compact-deflate`); bound its output.
   * In Node: `inflateRaw` from `@av-gym/client/node`. Default none (browsers: text acks only).
   */
  inflate?: Inflater | null;
  /**
   * Where high- and medium-priority sends are saved before they are queued, so they survive a
   * reload, a restart or a crash and are sent again (same ids) at the next `connect()`.
   * Default none: the outbox lives in memory and `maxQueueSize` refuses with BACKPRESSURE.
   */
  outboxStore?: OutboxStore | null;
  /**
   * With an `outboxStore`: how much may wait beyond the batcher's in-memory queue; past it a
   * send settles OUTBOX_FULL. Default 10,000 actions or 5 MiB of their JSON.
   */
  outboxBudget?: Partial<OutboxBudget>;
}

export type ResolvedServiceOptions = Required<
  Omit<
    WebSocketServiceOptions,
    | 'token'
    | 'network'
    | 'batching'
    | 'topics'
    | 'random'
    | 'compress'
    | 'codecs'
    | 'acks'
    | 'inflate'
    | 'logger'
    | 'outboxStore'
    | 'outboxBudget'
  >
> & {
  outboxStore: OutboxStore | undefined;
  outboxBudget: OutboxBudget;
  logger: ClientLogger | undefined;
  compress: Compressor | undefined;
  codecs: readonly string[];
  acks: readonly AckFormat[];
  inflate: Inflater | undefined;
  token: string | undefined;
  network: NetworkEvents | null;
  batching: Partial<MessageBatcherOptions>;
  topics: readonly string[];
  random: RandomSource | undefined;
};

function positive(name: string, value: number): number {
  if (!(value > 0)) {
    throw new ClientError(
      'INVALID_OPTION',
      `WebSocketService: ${name} must be a positive number, got ${value}`,
    );
  }
  return value;
}

function defaultNetwork(): NetworkEvents | null {
  const g = globalThis as unknown as Partial<NetworkEvents>;
  return typeof g.addEventListener === 'function' && typeof g.removeEventListener === 'function'
    ? (g as NetworkEvents)
    : null;
}

function checkedLogger(logger: ClientLogger | undefined): ClientLogger | undefined {
  if (logger === undefined) return undefined;
  if (typeof logger?.info !== 'function' || typeof logger.warn !== 'function') {
    throw new ClientError(
      'INVALID_OPTION',
      'WebSocketService: logger needs info and warn methods (pino fits)',
    );
  }
  return logger;
}

/** Fills defaults and checks every option, with a message that says what to change. */
export function resolveServiceOptions(o: WebSocketServiceOptions): ResolvedServiceOptions {
  if (typeof o.url !== 'string' || !/^wss?:\/\//.test(o.url)) {
    throw new ClientError(
      'INVALID_OPTION',
      `WebSocketService: url must start with ws:// or wss://, got ${String(o.url)}`,
    );
  }
  if (typeof o.clientId !== 'string' || o.clientId.length === 0 || o.clientId.length > 128) {
    throw new ClientError(
      'INVALID_OPTION',
      'WebSocketService: clientId must be a string of 1-128 characters',
    );
  }
  const Ctor = o.WebSocket ?? (globalThis as { WebSocket?: WebSocketConstructor }).WebSocket;
  if (typeof Ctor !== 'function') {
    throw new ClientError(
      'NO_WEBSOCKET',
      'WebSocketService: no WebSocket class; in Node pass `WebSocket` from the ws package',
    );
  }
  const compress = o.compress === null ? undefined : (o.compress ?? streamCompressor());
  if (o.compress !== undefined && o.compress !== null && typeof o.compress !== 'function') {
    throw new ClientError('INVALID_OPTION', 'WebSocketService: compress must be a function or null');
  }
  const codecs = o.codecs ?? (compress === undefined ? ['json'] : ['deflate-raw', 'json']);
  if (compress === undefined && codecs.includes('deflate-raw')) {
    throw new ClientError(
      'INVALID_OPTION',
      'WebSocketService: codecs offers deflate-raw but no compressor exists here; pass `compress` (e.g. zlib.deflateRawSync) or leave deflate-raw out',
    );
  }
  const inflate = o.inflate ?? undefined;
  if (inflate !== undefined && typeof inflate !== 'function') {
    throw new ClientError('INVALID_OPTION', 'WebSocketService: inflate must be a function or null');
  }
  const acks = o.acks ?? (inflate === undefined ? ['compact'] : ['compact-deflate', 'compact']);
  if (inflate === undefined && acks.includes('compact-deflate')) {
    throw new ClientError(
      'INVALID_OPTION',
      'WebSocketService: acks offers compact-deflate but no inflater was given; pass `inflate` (e.g. inflateRaw from @av-gym/client/node) or leave it out',
    );
  }
  return {
    url: o.url,
    token: o.token,
    clientId: o.clientId,
    WebSocket: Ctor,
    topics: o.topics ?? [],
    clock: o.clock ?? systemClock,
    random: o.random,
    connectTimeoutMs: positive('connectTimeoutMs', o.connectTimeoutMs ?? 10_000),
    reconnectBaseDelayMs: positive('reconnectBaseDelayMs', o.reconnectBaseDelayMs ?? 1_000),
    reconnectMaxDelayMs: positive('reconnectMaxDelayMs', o.reconnectMaxDelayMs ?? 5_000),
    maxReconnectAttempts: positive(
      'maxReconnectAttempts',
      o.maxReconnectAttempts ?? Number.POSITIVE_INFINITY,
    ),
    pingIntervalMs: positive('pingIntervalMs', o.pingIntervalMs ?? 5_000),
    maxMissedPongs: positive('maxMissedPongs', o.maxMissedPongs ?? 2),
    latencySamples: positive('latencySamples', o.latencySamples ?? 100),
    memoryCheckIntervalMs: positive('memoryCheckIntervalMs', o.memoryCheckIntervalMs ?? 60_000),
    unusedHandlerAgeMs: positive('unusedHandlerAgeMs', o.unusedHandlerAgeMs ?? 300_000),
    statsResetIntervalMs: positive('statsResetIntervalMs', o.statsResetIntervalMs ?? 3_600_000),
    clientStatsIntervalMs: Math.max(0, o.clientStatsIntervalMs ?? 30_000),
    maxBufferedBytes: positive('maxBufferedBytes', o.maxBufferedBytes ?? 1024 * 1024),
    maxInFlightFrames: positive('maxInFlightFrames', o.maxInFlightFrames ?? 16),
    retryBaseDelayMs: positive('retryBaseDelayMs', o.retryBaseDelayMs ?? 500),
    retryMaxDelayMs: positive('retryMaxDelayMs', o.retryMaxDelayMs ?? 30_000),
    qualityWeights: o.qualityWeights ?? DEFAULT_QUALITY_WEIGHTS,
    dropRateSlope: positive('dropRateSlope', o.dropRateSlope ?? 10),
    qualityWindowMs: positive('qualityWindowMs', o.qualityWindowMs ?? DEFAULT_QUALITY_WINDOW_MS),
    logger: checkedLogger(o.logger),
    validate: o.validate ?? true,
    network: o.network === undefined ? defaultNetwork() : o.network,
    batching: o.batching ?? {},
    codecs: [...codecs],
    acks: [...acks],
    inflate,
    compressMinBytes: positive('compressMinBytes', o.compressMinBytes ?? COMPRESS_MIN_BYTES),
    compress,
    outboxStore: checkedStore(o.outboxStore),
    outboxBudget: {
      maxActions: positive(
        'outboxBudget.maxActions',
        o.outboxBudget?.maxActions ?? DEFAULT_OUTBOX_BUDGET.maxActions,
      ),
      maxBytes: positive('outboxBudget.maxBytes', o.outboxBudget?.maxBytes ?? DEFAULT_OUTBOX_BUDGET.maxBytes),
    },
  };
}

function checkedStore(store: OutboxStore | null | undefined): OutboxStore | undefined {
  if (store === undefined || store === null) return undefined;
  for (const m of ['load', 'put', 'delete', 'close'] as const) {
    if (typeof store[m] !== 'function') {
      throw new ClientError(
        'INVALID_OPTION',
        `WebSocketService: outboxStore needs a ${m} method (see OutboxStore)`,
      );
    }
  }
  return store;
}
