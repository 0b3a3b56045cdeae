import type { ServiceMetrics } from './service-metrics.js';

/** The `client_stats` data a desk reports: the parts of its metrics the server's fleet view shows. */
export function clientStatsPayload(m: ServiceMetrics): Record<string, unknown> {
  const { score, latency, dropRate, stability } = m.quality;
  return {
    state: m.connection.state,
    quality: { score, latency, dropRate, stability },
    latencyMs: { avg: m.latency.avgMs, p50: m.latency.p50Ms, p95: m.latency.p95Ms },
    // the quality window's count (5 min by default), as the stability score sees it: what the
    // server's reconnect_storm rule reads (the hourly total stays in getMetrics().connection)
    reconnects: m.quality.inputs.reconnects,
    batching: {
      batchesSent: m.batching.batchesSent,
      messagesSent: m.batching.messagesSent,
      avgBatchSize: m.batching.avgBatchSize,
      savedRatio: m.batching.savedRatio,
      compressedFrames: m.batching.compressedFrames,
      compressionRatio: m.batching.compressionRatio,
      queueDepth: m.batching.queueDepth,
    },
    messages: {
      sent: m.messages.sent,
      acked: m.messages.acked,
      errors: m.messages.errors,
      pending: m.messages.pending,
    },
  };
}
