import { ClientStatsData, type FleetEntry, type StatsDocument } from '@av-gym/protocol';

/** The server panel's view of `GET /api/stats` (protocol `StatsDocument`). */
export interface ServerStatsView {
  connections: number;
  messagesPerSecond: { type: string; perSecond: number }[];
  /** Null only in the view of no document. */
  handleMs: { p50: number | null; p99: number | null };
  rejections: { code: string; count: number }[];
  queueDepth: number | null;
  bytesIn: number | null;
  bytesOut: number | null;
  fleet: FleetDesk[];
}

export interface FleetDesk {
  clientId: string;
  state: 'connected' | 'disconnected';
  quality: number | null;
  latencyMs: number | null;
  reconnects: number | null;
  receivedAt: number;
}

/** What a panel shows before the server has answered: no figures. */
const NO_STATS: ServerStatsView = {
  connections: 0,
  messagesPerSecond: [],
  handleMs: { p50: null, p99: null },
  rejections: [],
  queueDepth: null,
  bytesIn: null,
  bytesOut: null,
  fleet: [],
};

function toFleetDesk(entry: FleetEntry): FleetDesk {
  // `stats` is the desk's own client_stats report (`{}` when the server left it out for its size).
  const reported = ClientStatsData.safeParse(entry.stats);
  return {
    clientId: entry.clientId,
    state: entry.connected ? 'connected' : 'disconnected',
    quality: entry.quality,
    latencyMs: entry.latencyMs,
    reconnects: reported.success ? (reported.data.reconnects ?? null) : null,
    receivedAt: entry.receivedAt,
  };
}

/** The figures the server panel shows, from the parsed stats document (`null`: none yet). */
export function toServerStatsView(stats: StatsDocument | null): ServerStatsView {
  if (!stats) return NO_STATS;
  return {
    connections: stats.connections.open,
    messagesPerSecond: Object.entries(stats.messagesPerSecond)
      .map(([type, perSecond]) => ({ type, perSecond }))
      .sort((a, b) => a.type.localeCompare(b.type)),
    handleMs: { p50: stats.batchHandling.p50Ms, p99: stats.batchHandling.p99Ms },
    rejections: Object.entries(stats.rejectedByCode)
      .map(([code, count]) => ({ code, count }))
      .sort((a, b) => b.count - a.count),
    queueDepth: stats.queues.outboundTotal,
    bytesIn: stats.bytes.in,
    bytesOut: stats.bytes.out,
    fleet: stats.fleet.map(toFleetDesk),
  };
}
