/**
 * The AV-Gym client for browsers and Node: a priority `MessageBatcher` in front of a
 * self-measuring, reconnecting `WebSocketService`. No Node-only imports.
 * @example
 * import { WebSocketService } from '@av-gym/client';
 * import { WebSocket } from 'ws'; // Node only; browsers use the global WebSocket
 * const svc = new WebSocketService({ url: 'ws://127.0.0.1:8080/ws', token, clientId: 'desk-1', WebSocket });
 * await svc.connect();
 * const outcome = await svc.send('check_in', { memberId: 'm_42' });
 */
export { type MergeData, mergeMemberUpdate } from './batcher/coalescer.js';
export { AdaptiveInterval, type AdaptiveIntervalOptions } from './batcher/flush-scheduler.js';
export { buildFrame, type OutgoingFrame } from './batcher/frame-builder.js';
export {
  type BatchingStats,
  type BatchTransport,
  DEFAULT_BATCHER_OPTIONS,
  type EnqueueResult,
  MessageBatcher,
  type MessageBatcherOptions,
} from './batcher/message-batcher.js';
export type { QueuedMessage } from './batcher/queued-message.js';
export { type Clock, type RandomSource, systemClock, type TimerHandle } from './clock.js';
export { CompressionPolicy, type CompressionPolicyOptions } from './codec/compression-policy.js';
export { type Compressor, streamCompressor } from './codec/frame-compressor.js';
export {
  Backoff,
  type BackoffOptions,
  backoffCapMs,
  backoffDelayMs,
  DEFAULT_BACKOFF,
} from './connection/backoff.js';
export type { OutboxSnapshot } from './connection/durable-outbox.js';
export type { SendOutcome } from './connection/outbox.js';
export type {
  AckNotice,
  ErrorNotice,
  ReloadNotice,
  SendOptions,
  ServiceEventMap,
} from './connection/service-events.js';
export type {
  ClientLogger,
  NetworkEvents,
  WebSocketConstructor,
  WebSocketLike,
  WebSocketServiceOptions,
} from './connection/service-options.js';
export type { ConnectionState, StateChange, StateReason } from './connection/state.js';
export { WebSocketService } from './connection/websocket-service.js';
export {
  CLIENT_ERROR_CODES,
  CLIENT_SEND_CODES,
  type ClientCode,
  ClientError,
  type ClientErrorCode,
} from './errors.js';
export { createIdGenerator } from './id.js';
export { clientStatsPayload } from './metrics/client-stats-payload.js';
export {
  connectionQuality,
  DEFAULT_DROP_RATE_SLOPE,
  DEFAULT_QUALITY_WEIGHTS,
  dropRateScore,
  latencyScore,
  type QualityInputs,
  type QualitySnapshot,
  type QualityWeights,
  stabilityScore,
} from './metrics/connection-quality.js';
export type { Handler, HandlerKeyUsage, HandlerOptions, HandlerStats } from './metrics/handler-registry.js';
export { type LatencySnapshot, LatencyTracker, percentile } from './metrics/latency-tracker.js';
export { QUALITY_WORDS, type QualityBand, QualityWatch, qualityBand } from './metrics/quality-watch.js';
export {
  DEFAULT_QUALITY_WINDOW_MS,
  QUALITY_WINDOW_BUCKETS,
  QualityWindow,
  type QualityWindowCounts,
} from './metrics/quality-window.js';
export type { ConnectionMetrics, MessageMetrics, ServiceMetrics } from './metrics/service-metrics.js';
export {
  IndexedDbOutboxStore,
  type IndexedDbOutboxStoreOptions,
  type LocksLike,
} from './outbox-store/indexeddb-outbox-store.js';
export { MemoryOutboxStore } from './outbox-store/memory-outbox-store.js';
export {
  DEFAULT_OUTBOX_BUDGET,
  isStoredAction,
  type OutboxBudget,
  type OutboxStore,
  type StoredAction,
} from './outbox-store/outbox-store.js';
