import type { ConnectionState, ServiceMetrics } from '@av-gym/client';

/** The PerformanceMonitor's view of one `getMetrics()` snapshot. */
export interface MetricsView {
  state: ConnectionState;
  quality: { score: number; latency: number; dropRate: number; stability: number };
  weights: { latency: number; dropRate: number; stability: number };
  /** `avgMs` is null until the first sample. */
  latency: { avgMs: number | null; p50Ms: number | null; p95Ms: number | null; samplesMs: number[] };
  reconnects: number;
  optimization: boolean;
  pendingMessages: number;
  batching: {
    batchesSent: number;
    messagesSent: number;
    bytesSaved: number;
    savedPercent: number;
    currentIntervalMs: number | null;
    averageBatchSize: number | null;
    queueSize: number;
    droppedByPriority: Record<string, number>;
    coalescedByPriority: Record<string, number>;
  };
  /** The message counters as table rows (name, value). */
  messages: { name: string; value: number }[];
  handlers: {
    count: number;
    byType: { type: string; count: number; calls: number }[];
    lastCleanupAt: number | null;
  };
  windowStartedAt: number;
}

/** Turns the client's snapshot into what the monitor shows; tolerant of a partial snapshot. */
export function toMetricsView(m: Partial<ServiceMetrics>): MetricsView {
  const latency = m.latency;
  const hasSamples = (latency?.count ?? 0) > 0;
  const b = m.batching;
  const counters = m.messages;
  return {
    state: m.connection?.state ?? 'idle',
    quality: {
      score: m.quality?.score ?? 100,
      latency: m.quality?.latency ?? 100,
      dropRate: m.quality?.dropRate ?? 100,
      stability: m.quality?.stability ?? 100,
    },
    weights: m.quality?.weights ?? { latency: 0.3, dropRate: 0.4, stability: 0.3 },
    latency: {
      avgMs: hasSamples ? (latency?.avgMs ?? null) : null,
      p50Ms: hasSamples ? (latency?.p50Ms ?? null) : null,
      p95Ms: hasSamples ? (latency?.p95Ms ?? null) : null,
      samplesMs: latency?.samples ?? [],
    },
    reconnects: m.connection?.reconnects ?? 0,
    optimization: b?.optimization ?? true,
    pendingMessages: counters?.pending ?? 0,
    batching: {
      batchesSent: b?.batchesSent ?? 0,
      messagesSent: b?.messagesSent ?? 0,
      bytesSaved: b?.bytesSaved ?? 0,
      savedPercent: (b?.savedRatio ?? 0) * 100,
      currentIntervalMs: b?.currentIntervalMs ?? null,
      averageBatchSize: b && b.batchesSent > 0 ? b.avgBatchSize : null,
      queueSize: b?.queueDepth ?? 0,
      droppedByPriority: { ...b?.droppedByPriority },
      coalescedByPriority: { ...b?.coalescedByPriority },
    },
    messages: counters
      ? [
          { name: 'Sent', value: counters.sent },
          { name: 'Acknowledged', value: counters.acked },
          { name: 'Refused', value: counters.rejected },
          { name: 'Failed attempts', value: counters.errors },
          { name: 'Retries', value: counters.retries },
          { name: 'Pending', value: counters.pending },
        ]
      : [],
    handlers: {
      count: m.handlers?.count ?? 0,
      byType: Object.entries(m.handlers?.byType ?? {})
        .map(([type, usage]) => ({ type, count: usage.handlers, calls: usage.calls }))
        .sort((x, y) => y.calls - x.calls),
      lastCleanupAt: m.handlers?.lastCleanupAt ?? null,
    },
    windowStartedAt: m.windowStartedAt ?? 0,
  };
}
