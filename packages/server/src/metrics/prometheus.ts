import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import type { BatchConsumer, ConsumerStats } from '../consumer/types.js';
import type { StoreMetricFigures } from '../store/housekeeping.js';
import { metricLabels } from './metric-labels.js';
import type { ServerMetrics } from './server-metrics.js';
import { registerStoreGauges } from './store-gauges.js';

/** What the exporter reads at scrape time; everything but the batch histogram is pulled. */
export interface PrometheusSources {
  metrics: ServerMetrics;
  consumerStats(): ConsumerStats;
  gateway: { readonly eventSeq: number; queueDepths(): { maxBytes: number; totalBytes: number } };
  /** Redis broker counters, when the broker has them. */
  brokerFigures?(): { outboxBatches: number; outboxDropped: number; gapsSkipped: number };
  /** Last known reachability of the database and the broker (from /readyz checks). */
  dependencies?(): { database: boolean; broker: boolean };
  /** Row counts, file sizes and retention totals of the store (its housekeeper), when it has them. */
  storeFigures?(): Promise<StoreMetricFigures>;
}

type Labels = Record<string, string>;

/** A counter whose value is read from a running total at scrape time. */
function pulledCounter(
  registry: Registry,
  name: string,
  help: string,
  labelNames: string[],
  read: () => [Labels, number][],
) {
  return new Counter({
    name,
    help,
    labelNames,
    registers: [registry],
    collect() {
      this.reset();
      for (const [labels, value] of read()) this.inc(labels, value);
    },
  });
}

function pulledGauge(
  registry: Registry,
  name: string,
  help: string,
  labelNames: string[],
  read: () => [Labels, number][],
) {
  return new Gauge({
    name,
    help,
    labelNames,
    registers: [registry],
    collect() {
      this.reset();
      for (const [labels, value] of read()) this.set(labels, value);
    },
  });
}

const entries = (record: Record<string, number>, label: string, extra: Labels = {}): [Labels, number][] =>
  Object.entries(record).map(([k, v]) => [{ ...extra, [label]: k }, v]);

/** Sums counts under their closed-set label, so a source keyed by client input cannot add series. */
function relabel<T>(source: Iterable<[string, T]>, label: (key: string) => string): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const [key, value] of source) {
    const l = label(key);
    const list = out.get(l);
    if (list) list.push(value);
    else out.set(l, [value]);
  }
  return out;
}

/**
 * The `/metrics` document (Prometheus text format) of one server: default process metrics
 * plus connections, frames and messages by type and outcome, batch handling duration,
 * events fanned out, outbound queue depth, dropped events and rejections by code.
 * Its own registry, so several servers in one process never share figures.
 * @example
 * const prometheus = new PrometheusMetrics({ metrics, consumerStats: () => consumer.stats(), gateway });
 * const consumer = prometheus.instrument(createBatchConsumer(deps));
 */
export class PrometheusMetrics {
  readonly registry = new Registry();
  readonly #batchSeconds: Histogram;

  constructor(sources: PrometheusSources) {
    const r = this.registry;
    const { metrics } = sources;
    collectDefaultMetrics({ register: r });
    this.#batchSeconds = new Histogram({
      name: 'avgym_batch_handling_seconds',
      help: 'Time from a batch reaching the consumer to its answer (after COMMIT)',
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers: [r],
    });
    pulledGauge(r, 'avgym_connections_open', 'WebSocket connections open now', [], () => [
      [{}, metrics.connectionsOpen],
    ]);
    pulledCounter(r, 'avgym_connections_total', 'WebSocket connections accepted', [], () => [
      [{}, metrics.connectionsTotal],
    ]);
    pulledCounter(r, 'avgym_connection_closes_total', 'Connections closed, by close code', ['code'], () =>
      [...metrics.closesByCode].map(([code, n]) => [{ code: String(code) }, n]),
    );
    pulledCounter(r, 'avgym_frames_total', 'Frames by direction and type', ['direction', 'type'], () => [
      ...entries(metrics.framesIn.total(), 'type', { direction: 'in' }),
      ...entries(metrics.framesOut.total(), 'type', { direction: 'out' }),
    ]);
    pulledCounter(r, 'avgym_bytes_total', 'WebSocket payload bytes by direction', ['direction'], () =>
      entries(metrics.bytes.total(), 'direction'),
    );
    pulledCounter(r, 'avgym_messages_received_total', 'Logical messages received, by type', ['type'], () =>
      entries(metrics.messagesIn.total(), 'type'),
    );
    pulledCounter(
      r,
      'avgym_messages_total',
      'Logical messages answered by the consumer, by type and outcome',
      ['type', 'outcome'],
      () => {
        const byType = relabel(
          Object.entries(sources.consumerStats().messagesByType),
          metricLabels.messageType,
        );
        return [...byType].flatMap(([type, counts]) => {
          const sum = (pick: (c: (typeof counts)[number]) => number) =>
            counts.reduce((a, c) => a + pick(c), 0);
          return [
            [{ type, outcome: 'accepted' }, sum((c) => c.accepted)] as [Labels, number],
            [{ type, outcome: 'duplicate' }, sum((c) => c.duplicates)] as [Labels, number],
            [{ type, outcome: 'rejected' }, sum((c) => c.rejected)] as [Labels, number],
          ];
        });
      },
    );
    pulledCounter(r, 'avgym_rejected_total', 'Rejections by code (consumer and gateway)', ['code'], () => {
      const all = [...Object.entries(sources.consumerStats().rejectedByCode), ...metrics.gatewayRejections];
      return [...relabel(all, metricLabels.rejection)].map(([code, ns]) => [
        { code },
        ns.reduce((a, n) => a + n, 0),
      ]);
    });
    pulledCounter(
      r,
      'avgym_connections_refused_total',
      'Connections closed with 1013 right after the upgrade, by reason (node_cap, preauth_per_ip)',
      ['reason'],
      () => [...metrics.refusedConnections].map(([reason, n]) => [{ reason }, n]),
    );
    pulledCounter(
      r,
      'avgym_rate_limited_total',
      'Frames and messages refused RATE_LIMITED, by budget (connection or credential) and unit',
      ['scope', 'unit'],
      () =>
        [...metrics.rateLimited].map(([key, n]) => {
          const [scope = '', unit = ''] = key.split(':');
          return [{ scope, unit }, n];
        }),
    );
    pulledCounter(r, 'avgym_events_published_total', 'Events received from the broker', [], () => [
      [{}, metrics.events.total().published ?? 0],
    ]);
    pulledCounter(r, 'avgym_events_fanned_out_total', 'Event deliveries to connections', [], () => [
      [{}, metrics.events.total().delivered ?? 0],
    ]);
    pulledCounter(r, 'avgym_events_dropped_total', 'Droppable events shed for slow readers', [], () => [
      [{}, metrics.events.total().dropped ?? 0],
    ]);
    pulledGauge(r, 'avgym_event_seq', 'Newest global event seq this node has delivered', [], () => [
      [{}, sources.gateway.eventSeq],
    ]);
    pulledGauge(
      r,
      'avgym_outbound_queue_bytes',
      'Outbound bytes waiting: largest connection and total',
      ['stat'],
      () => {
        const d = sources.gateway.queueDepths();
        return [
          [{ stat: 'max' }, d.maxBytes],
          [{ stat: 'total' }, d.totalBytes],
        ];
      },
    );
    if (sources.brokerFigures) {
      const figures = sources.brokerFigures;
      pulledGauge(r, 'avgym_broker_outbox_batches', 'Event batches waiting for Redis', [], () => [
        [{}, figures().outboxBatches],
      ]);
      pulledCounter(
        r,
        'avgym_broker_outbox_dropped_total',
        'Event batches dropped from a full outbox',
        [],
        () => [[{}, figures().outboxDropped]],
      );
      pulledCounter(
        r,
        'avgym_broker_gaps_skipped_total',
        'Event seq gaps given up on after waiting',
        [],
        () => [[{}, figures().gapsSkipped]],
      );
    }
    if (sources.dependencies) {
      const deps = sources.dependencies;
      pulledGauge(
        r,
        'avgym_dependency_up',
        '1 when the dependency answered its last check',
        ['dependency'],
        () => {
          const d = deps();
          return [
            [{ dependency: 'database' }, d.database ? 1 : 0],
            [{ dependency: 'broker' }, d.broker ? 1 : 0],
          ];
        },
      );
    }
    if (sources.storeFigures) registerStoreGauges(r, sources.storeFigures);
  }

  /** Wraps a consumer so each batch's handling time lands in the histogram. */
  instrument(consumer: BatchConsumer): BatchConsumer {
    const histogram = this.#batchSeconds;
    return {
      async handleBatch(input) {
        const end = histogram.startTimer();
        try {
          return await consumer.handleBatch(input);
        } finally {
          end();
        }
      },
      drain: () => consumer.drain(),
      stats: () => consumer.stats(),
    };
  }

  /** The text exposition and its content type. */
  async render(): Promise<{ contentType: string; body: string }> {
    return { contentType: this.registry.contentType, body: await this.registry.metrics() };
  }
}
