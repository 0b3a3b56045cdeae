import { FLEET_PAGE, type FleetEntry, type StatsDocument } from '@av-gym/protocol';
import type { ConsumerStats } from '../consumer/types.js';
import type { ClientStatsRow } from '../store/store.js';
import { fitsJsonBudget } from './json-budget.js';
import type { ServerMetrics } from './server-metrics.js';

/** What `/api/stats` needs from the gateway. */
export interface GatewayFigures {
  eventSeq: number;
  queueDepths(): { maxBytes: number; totalBytes: number };
  connectedClientIds(): Set<string>;
}

/** Which desks `/api/stats` lists: `limit` of them from `offset`, connected first, then most recent. */
export interface FleetPage {
  limit: number;
  offset: number;
  /** A desk's `stats` larger than this (serialised JSON) is replaced by `{}`. */
  statsMaxBytes: number;
}

/** Connected desks first, then the most recent report, then by id (a stable order for paging). */
function fleetOrder(connected: Set<string>) {
  return (a: ClientStatsRow, b: ClientStatsRow) =>
    Number(connected.has(b.clientId)) - Number(connected.has(a.clientId)) ||
    b.receivedAt - a.receivedAt ||
    (a.clientId < b.clientId ? -1 : a.clientId > b.clientId ? 1 : 0);
}

const numberAt = (value: unknown, ...path: string[]): number | null => {
  let cur = value;
  for (const key of path)
    cur = cur !== null && typeof cur === 'object' ? (cur as Record<string, unknown>)[key] : undefined;
  return typeof cur === 'number' && Number.isFinite(cur) ? cur : null;
};

function sumInto(target: Record<string, number>, source: Iterable<[string, number]>): Record<string, number> {
  for (const [k, v] of source) target[k] = (target[k] ?? 0) + v;
  return target;
}

/** The `/api/stats` document: the server's own figures (rates over a sliding 10 s window). */
export function buildStats(input: {
  now: number;
  metrics: ServerMetrics;
  consumer: ConsumerStats;
  gateway: GatewayFigures;
  clientStats: ClientStatsRow[];
  fleetPage?: FleetPage;
}): StatsDocument {
  const { metrics, consumer, gateway } = input;
  const bytesTotal = metrics.bytes.total();
  const bytesRate = metrics.bytes.rates();
  const compressed = metrics.compressed.total();
  const compressedWire = compressed.wireBytes ?? 0;
  const compressedInflated = compressed.inflatedBytes ?? 0;
  const eventTotals = metrics.events.total();
  const connected = gateway.connectedClientIds();
  const depths = gateway.queueDepths();
  const page = input.fleetPage ?? { limit: FLEET_PAGE.defaultLimit, offset: 0, statsMaxBytes: 4096 };
  const rows = [...input.clientStats]
    .sort(fleetOrder(connected))
    .slice(page.offset, page.offset + page.limit);
  const fleet: FleetEntry[] = rows.map((row) => {
    const fits = fitsJsonBudget(row.stats, page.statsMaxBytes);
    return {
      clientId: row.clientId,
      receivedAt: row.receivedAt,
      connected: connected.has(row.clientId),
      quality: numberAt(row.stats, 'quality', 'score'),
      latencyMs: numberAt(row.stats, 'latencyMs', 'avg'),
      stats: fits ? row.stats : {},
      statsOmitted: !fits,
    };
  });
  return {
    serverTime: input.now,
    uptimeMs: input.now - metrics.startedAt,
    windowSeconds: 10,
    connections: { open: metrics.connectionsOpen, total: metrics.connectionsTotal },
    framesPerSecond: { in: metrics.framesIn.rates(), out: metrics.framesOut.rates() },
    messagesPerSecond: metrics.messagesIn.rates(),
    messagesTotal: metrics.messagesIn.total(),
    batchHandling: {
      p50Ms: consumer.handleMs.p50,
      p99Ms: consumer.handleMs.p99,
      count: consumer.handleMs.count,
      batches: consumer.batches,
      transactions: consumer.transactions,
    },
    rejectedByCode: sumInto(sumInto({}, Object.entries(consumer.rejectedByCode)), metrics.gatewayRejections),
    queues: { outboundMaxBytes: depths.maxBytes, outboundTotal: depths.totalBytes },
    bytes: {
      in: bytesTotal.in ?? 0,
      out: bytesTotal.out ?? 0,
      inPerSecond: bytesRate.in ?? 0,
      outPerSecond: bytesRate.out ?? 0,
      compressedFramesIn: compressed.frames ?? 0,
      compressedIn: compressedWire,
      inflatedIn: compressedInflated,
      compressionRatio: compressedInflated === 0 ? 1 : compressedWire / compressedInflated,
    },
    events: {
      eventSeq: gateway.eventSeq,
      published: eventTotals.published ?? 0,
      fannedOut: eventTotals.delivered ?? 0,
      fannedOutPerSecond: metrics.events.rates().delivered ?? 0,
      dropped: eventTotals.dropped ?? 0,
    },
    closesByCode: Object.fromEntries(metrics.closesByCode),
    consumer: { messagesByType: consumer.messagesByType },
    fleet,
    fleetPage: { total: input.clientStats.length, offset: page.offset, limit: page.limit },
  };
}
