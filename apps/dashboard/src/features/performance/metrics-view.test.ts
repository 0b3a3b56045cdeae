import type { ServiceMetrics } from '@av-gym/client';
import { describe, expect, it } from 'vitest';
import { toMetricsView } from './metrics-view.js';

const byPriority = (high: number, medium: number, low: number) => ({ high, medium, low });

function snapshot(overrides: Partial<ServiceMetrics> = {}): ServiceMetrics {
  return {
    at: 2_000,
    windowStartedAt: 1_000,
    connection: {
      state: 'open',
      connectedAt: 1_500,
      reconnects: 1,
      lastCloseCode: null,
      sessionId: 's',
      lastEventSeq: 9,
    },
    latency: { lastMs: 40, avgMs: 30, p50Ms: 25, p95Ms: 60, count: 3, samples: [20, 30, 40] },
    quality: {
      score: 86,
      latency: 100,
      dropRate: 90,
      stability: 80,
      weights: { latency: 0.3, dropRate: 0.4, stability: 0.3 },
      inputs: { avgLatencyMs: 30, errorRate: 0.01, reconnects: 1 },
    },
    batching: {
      optimization: true,
      batchesSent: 4,
      messagesSent: 10,
      avgBatchSize: 2.5,
      maxBatchSize: 5,
      currentIntervalMs: 60,
      droppedByPriority: byPriority(0, 0, 2),
      coalescedByPriority: byPriority(0, 3, 0),
      refusedByPriority: byPriority(0, 0, 0),
      bytesSent: 700,
      bytesUnbatched: 1_000,
      bytesSaved: 300,
      savedRatio: 0.3,
      queueDepth: 1,
      queueDepthByPriority: byPriority(0, 1, 0),
    },
    handlers: {
      count: 3,
      byType: {
        check_ins: { handlers: 1, calls: 12, lastUsedAt: 1_900 },
        state: { handlers: 2, calls: 1, lastUsedAt: 1_500 },
      },
      lastCleanupAt: 1_200,
      removed: 0,
      unsubscribed: 0,
      staleCallbacksRemoved: 0,
    },
    messages: { sent: 10, acked: 8, rejected: 1, errors: 1, retries: 1, pending: 1 },
    ...overrides,
  } as ServiceMetrics;
}

describe('toMetricsView', () => {
  it('takes quality, its factors and weights from the snapshot', () => {
    const view = toMetricsView(snapshot());
    expect(view.quality).toEqual({ score: 86, latency: 100, dropRate: 90, stability: 80 });
    expect(view.weights).toEqual({ latency: 0.3, dropRate: 0.4, stability: 0.3 });
    expect(view.reconnects).toBe(1);
  });

  it('reports batching figures including the saved share in percent', () => {
    const { batching } = toMetricsView(snapshot());
    expect(batching).toMatchObject({ batchesSent: 4, bytesSaved: 300, averageBatchSize: 2.5, queueSize: 1 });
    expect(batching.savedPercent).toBeCloseTo(30);
    expect(batching.coalescedByPriority.medium).toBe(3);
    expect(batching.droppedByPriority.low).toBe(2);
  });

  it('has no latency figures before the first sample', () => {
    const view = toMetricsView(
      snapshot({ latency: { lastMs: 0, avgMs: 0, p50Ms: 0, p95Ms: 0, count: 0, samples: [] } }),
    );
    expect(view.latency).toEqual({ avgMs: null, p50Ms: null, p95Ms: null, samplesMs: [] });
  });

  it('lists the message counters and the handlers, busiest first', () => {
    const view = toMetricsView(snapshot());
    expect(view.messages.map((m) => [m.name, m.value])).toContainEqual(['Acknowledged', 8]);
    expect(view.handlers.byType.map((h) => h.type)).toEqual(['check_ins', 'state']);
    expect(view.pendingMessages).toBe(1);
  });

  it('fills defaults for an empty snapshot', () => {
    const view = toMetricsView({});
    expect(view.quality.score).toBe(100);
    expect(view.messages).toEqual([]);
    expect(view.batching.averageBatchSize).toBeNull();
  });
});
