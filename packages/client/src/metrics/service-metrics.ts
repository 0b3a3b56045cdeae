import type { BatchingStats } from '../batcher/message-batcher.js';
import type { WireStats } from '../codec/frame-sender.js';
import type { ConnectionState } from '../connection/state.js';
import type { QualitySnapshot } from './connection-quality.js';
import type { HandlerStats } from './handler-registry.js';
import type { LatencySnapshot } from './latency-tracker.js';

/** Connection facts. `reconnects` counts re-opened connections in the current stats window. */
export interface ConnectionMetrics {
  state: ConnectionState;
  /** Wall ms of the current connection's welcome; null while not open. */
  connectedAt: number | null;
  reconnects: number;
  lastCloseCode: number | null;
  sessionId: string | null;
  /** The last event seq applied (sent as `resume` on reconnect). */
  lastEventSeq: number | null;
}

/** Logical-message counters of the current window; `pending` is live. */
export interface MessageMetrics {
  /** Messages written to the socket (a resend counts again). */
  sent: number;
  /** Accepted (or duplicate: accepted earlier) by the server. */
  acked: number;
  /** Refused for good (a non-retryable code, or invalid before sending). */
  rejected: number;
  /**
   * Attempts that failed without a final answer: lost in flight with a connection, a
   * retryable rejection, a frame error, or a droppable message dropped. Cumulative (hourly);
   * the drop-rate score reads the quality window instead (lost / settled, resends that succeeded not lost).
   */
  errors: number;
  /** Resends after a retryable rejection. */
  retries: number;
  /** Unsettled sends: queued, in flight, or waiting to retry. */
  pending: number;
}

/** The one snapshot `getMetrics()` returns; the dashboard's PerformanceMonitor renders it as is. */
export interface ServiceMetrics {
  /** Wall ms of the snapshot. */
  at: number;
  /** Wall ms when the current statistics window began (cumulative counters reset then). */
  windowStartedAt: number;
  connection: ConnectionMetrics;
  latency: LatencySnapshot;
  quality: QualitySnapshot;
  batching: BatchingStats;
  handlers: HandlerStats & { staleCallbacksRemoved: number };
  messages: MessageMetrics;
}

/** The cumulative counters the service keeps itself; zeroed each stats window. */
export class MessageCounters {
  sent = 0;
  acked = 0;
  rejected = 0;
  errors = 0;
  retries = 0;
  reconnects = 0;
  staleCallbacksRemoved = 0;

  reset(): void {
    this.sent = 0;
    this.acked = 0;
    this.rejected = 0;
    this.errors = 0;
    this.retries = 0;
    this.reconnects = 0;
    this.staleCallbacksRemoved = 0;
  }

  /** Failed attempts over all attempts (sent + dropped before sending), 0..1. */
  errorRate(droppedUnsent: number): number {
    const attempts = this.sent + droppedUnsent;
    return attempts === 0 ? 0 : Math.min(1, this.errors / attempts);
  }
}

/**
 * The batching figures of the metrics: the batcher's own (frames, messages, queue, the bytes
 * the same messages take unbatched) with the sender's for what went on the wire.
 */
export function batchingMetrics(batcher: BatchingStats, wire: WireStats): BatchingStats {
  const bytesSaved = batcher.bytesUnbatched - wire.bytesSent;
  return {
    ...batcher,
    bytesSent: wire.bytesSent,
    bytesSaved,
    savedRatio: batcher.bytesUnbatched === 0 ? 0 : bytesSaved / batcher.bytesUnbatched,
    compressedFrames: wire.compressedFrames,
    compressionRatio: wire.compressionRatio,
  };
}
