/** The server panel's view of `GET /api/stats`, every figure present. */
export interface ServerStatsView {
  connections: number;
  messagesPerSecond: { type: string; perSecond: number }[];
  handleMs: { p50: number | null; p99: number | null };
  rejections: { code: string; count: number }[];
  queueDepth: number | null;
  bytesIn: number | null;
  bytesOut: number | null;
  fleet: FleetDesk[];
}

export interface FleetDesk {
  clientId: string;
  state: string;
  quality: number | null;
  latencyMs: number | null;
  reconnects: number | null;
  receivedAt: number | null;
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => v !== null && typeof v === 'object' && !Array.isArray(v);

function at(root: unknown, path: string): unknown {
  let cur: unknown = root;
  for (const key of path.split('.')) cur = isObj(cur) ? cur[key] : undefined;
  return cur;
}

function num(root: unknown, ...paths: string[]): number | null {
  for (const path of paths) {
    const v = at(root, path);
    if (typeof v === 'number' && Number.isFinite(v)) return v;
  }
  return null;
}

function record(root: unknown, ...paths: string[]): Obj {
  for (const path of paths) {
    const v = at(root, path);
    if (isObj(v)) return v;
  }
  return {};
}

function numberEntries(o: Obj): [string, number][] {
  return Object.entries(o).flatMap(([k, v]) => {
    if (typeof v === 'number') return [[k, v] as [string, number]];
    const inner = num(v, 'perSecond', 'rate', 'count', 'total');
    return inner === null ? [] : [[k, inner] as [string, number]];
  });
}

function fleetOf(stats: unknown): FleetDesk[] {
  const raw = at(stats, 'fleet') ?? at(stats, 'clients') ?? at(stats, 'desks');
  const list: unknown[] = Array.isArray(raw)
    ? raw
    : isObj(raw)
      ? Object.entries(raw).map(([clientId, v]) => ({ clientId, ...(isObj(v) ? v : {}) }))
      : [];
  return list.filter(isObj).map((row) => {
    const s = isObj(row.stats) ? row.stats : row;
    const connection = row.connected === false ? 'disconnected' : row.connected === true ? 'connected' : null;
    return {
      clientId: String(row.clientId ?? row.id ?? 'unknown'),
      state: connection ?? String(s.state ?? row.state ?? 'unknown'),
      quality: num(row, 'quality') ?? num(s, 'quality.score', 'quality', 'connectionQuality'),
      latencyMs: num(row, 'latencyMs') ?? num(s, 'latencyMs.avg', 'latency.avgMs', 'latencyMs'),
      reconnects: num(s, 'reconnects'),
      receivedAt: num(row, 'receivedAt', 'updatedAt'),
    };
  });
}

/** Normalises the server's stats document; tolerant of missing parts. */
export function toServerStatsView(stats: unknown): ServerStatsView {
  return {
    connections: num(stats, 'connections.current', 'connections.open', 'connections') ?? 0,
    messagesPerSecond: numberEntries(
      record(stats, 'messagesPerSecond', 'messages.perSecond', 'rates.messagesPerSecond'),
    )
      .map(([type, perSecond]) => ({ type, perSecond }))
      .sort((a, b) => a.type.localeCompare(b.type)),
    handleMs: {
      p50: num(stats, 'batchHandling.p50Ms', 'handleMs.p50', 'consumer.handleMs.p50', 'batchHandleMs.p50'),
      p99: num(stats, 'batchHandling.p99Ms', 'handleMs.p99', 'consumer.handleMs.p99', 'batchHandleMs.p99'),
    },
    rejections: numberEntries(record(stats, 'rejectedByCode', 'rejections', 'consumer.rejectedByCode'))
      .map(([code, count]) => ({ code, count }))
      .sort((a, b) => b.count - a.count),
    queueDepth: num(stats, 'queues.outboundTotal', 'queueDepth', 'queues.total', 'outboundQueue.total'),
    bytesIn: num(stats, 'bytes.in', 'bytesIn', 'traffic.bytesIn'),
    bytesOut: num(stats, 'bytes.out', 'bytesOut', 'traffic.bytesOut'),
    fleet: fleetOf(stats),
  };
}
