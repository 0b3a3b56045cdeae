import { MESSAGE_TYPES } from '@av-gym/protocol';
import type { Logger } from 'pino';
import type { Clock } from '../clock.js';
import type { ClientStatsRow } from '../store/store.js';
import type { HistorySample, HistoryStore } from './history-store.js';

/** This node's own figures at one moment. */
export interface NodeFigures {
  /** Logical messages per second over the last 10 s, by type. */
  messagesPerSecond: Record<string, number>;
  ackP50Ms: number;
  ackP99Ms: number;
  connections: number;
  queueBytes: number;
  eventsDropped: number;
  occupancy: number | null;
}

/** What the sampler reads each period. */
export interface SamplerSources {
  node(): string;
  figures(): Promise<NodeFigures>;
  /** Every desk's latest `client_stats` (all nodes share the table). */
  clientStats(): Promise<ClientStatsRow[]>;
  /** Desks with a socket open on this node. */
  connectedDeskIds(): Set<string>;
}

export interface HistorySamplerOptions {
  history: HistoryStore;
  sources: SamplerSources;
  clock: Clock;
  logger: Logger;
  /** Sample period (default 10 s; 0: no timer, `sampleOnce` only). */
  intervalMs: number;
  /** A desk not heard from for this long is sampled as offline (desk_online 0), and then not at all after 24 h. */
  offlineAfterMs: number;
  /** Runs after each sample with what was read (the alert engine evaluates on the same tick). */
  onSample?(tick: SampleTick): Promise<void>;
}

/** One tick's readings, handed to {@link HistorySamplerOptions.onSample}. */
export interface SampleTick {
  now: number;
  node: string;
  figures: NodeFigures;
  clientStats: ClientStatsRow[];
  /** False when the desks' reports could not be read (the database is down): no desk figures this tick. */
  clientStatsOk: boolean;
  connected: Set<string>;
}

const SILENT_DESK_DROPPED_MS = 86_400_000;
/** Desks sampled as connected per tick at most (a node holds up to MAX_CONNECTIONS sockets). */
const MAX_CONNECTED_SAMPLES = 2_000;

const numberAt = (value: unknown, ...path: string[]): number | null => {
  let cur = value;
  for (const key of path)
    cur = cur !== null && typeof cur === 'object' ? (cur as Record<string, unknown>)[key] : undefined;
  return typeof cur === 'number' && Number.isFinite(cur) ? cur : null;
};

/** The samples of one tick: the node's figures (node set) and each desk's report (desk set). */
export function samplesOf(tick: SampleTick, offlineAfterMs: number): HistorySample[] {
  const { now, node, figures: f } = tick;
  const out: HistorySample[] = [];
  const nodeSample = (metric: string, value: number | null) => {
    if (value !== null && Number.isFinite(value)) out.push({ metric, desk: null, node, at: now, value });
  };
  const byType = f.messagesPerSecond;
  nodeSample(
    'messages_per_sec',
    Object.values(byType).reduce((a, b) => a + b, 0),
  );
  for (const type of MESSAGE_TYPES) nodeSample(`messages_per_sec:${type}`, byType[type] ?? 0);
  nodeSample('ack_p50_ms', f.ackP50Ms);
  nodeSample('ack_p99_ms', f.ackP99Ms);
  nodeSample('connections', f.connections);
  nodeSample('queue_bytes', f.queueBytes);
  nodeSample('events_dropped', f.eventsDropped);
  nodeSample('occupancy', f.occupancy);
  // where each desk is connected, so the node that evaluates desk rules knows about every node's sockets
  let connectedRows = 0;
  for (const deskId of tick.connected) {
    if (connectedRows++ >= MAX_CONNECTED_SAMPLES) break;
    out.push({ metric: 'desk_connected', desk: deskId, node, at: now, value: 1 });
  }
  for (const row of tick.clientStats) {
    const silentMs = now - row.receivedAt;
    if (silentMs > SILENT_DESK_DROPPED_MS) continue;
    const online = tick.connected.has(row.clientId) || silentMs < offlineAfterMs;
    const desk = (metric: string, value: number | null) => {
      if (value !== null) out.push({ metric, desk: row.clientId, node: null, at: now, value });
    };
    desk('desk_online', online ? 1 : 0);
    if (!online) continue; // its last report says nothing about now
    desk('desk_quality', numberAt(row.stats, 'quality', 'score'));
    desk('desk_latency_p50_ms', numberAt(row.stats, 'latencyMs', 'p50'));
    desk('desk_latency_p95_ms', numberAt(row.stats, 'latencyMs', 'p95'));
    desk('desk_reconnects', numberAt(row.stats, 'reconnects'));
    desk('desk_errors', numberAt(row.stats, 'messages', 'errors'));
    desk('desk_pending', numberAt(row.stats, 'messages', 'pending'));
  }
  return out;
}

/**
 * Samples this node's figures and every desk's `client_stats` into the history every
 * `intervalMs` (10 s), then hands the tick on (alerts). A failed tick is logged and the next
 * one runs as planned; ticks never overlap.
 */
export class HistorySampler {
  readonly #o: HistorySamplerOptions;
  #timer: unknown;
  #running: Promise<void> | undefined;
  #stopped = false;

  constructor(options: HistorySamplerOptions) {
    this.#o = options;
  }

  start(): void {
    if (this.#o.intervalMs <= 0 || this.#stopped) return;
    this.#schedule();
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    if (this.#timer !== undefined) this.#o.clock.clearTimeout(this.#timer);
    this.#timer = undefined;
    await this.#running?.catch(() => {});
  }

  /**
   * One tick at `now` (default the clock's). A database that does not answer loses this tick's
   * samples (logged), never the hand-over: the alerts still see the node's own figures.
   */
  async sampleOnce(now = this.#o.clock.now()): Promise<SampleTick> {
    const { sources, history, logger } = this.#o;
    const [figures, stats] = await Promise.all([
      sources.figures(),
      sources.clientStats().then(
        (rows) => ({ rows, ok: true }),
        () => ({ rows: [] as ClientStatsRow[], ok: false }),
      ),
    ]);
    const tick: SampleTick = {
      now,
      node: sources.node(),
      figures,
      clientStats: stats.rows,
      clientStatsOk: stats.ok,
      connected: sources.connectedDeskIds(),
    };
    try {
      await history.record(samplesOf(tick, this.#o.offlineAfterMs));
    } catch (err) {
      logger.debug({ err }, 'history samples not written (database unavailable)');
    }
    await this.#o.onSample?.(tick);
    return tick;
  }

  #schedule(): void {
    this.#timer = this.#o.clock.setTimeout(() => {
      this.#timer = undefined;
      this.#running = this.sampleOnce()
        .then(
          () => {},
          (err: unknown) => this.#o.logger.warn({ err }, 'history sample failed; trying again next period'),
        )
        .finally(() => {
          if (!this.#stopped) this.#schedule();
        });
    }, this.#o.intervalMs);
  }
}
