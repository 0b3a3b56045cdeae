import { ALERT_RULES, type Alert } from '@av-gym/protocol';
import type { Logger } from 'pino';
import type { SampleTick } from '../history/history-sampler.js';
import { freshWindowMs, type HistoryStore } from '../history/history-store.js';
import {
  type AlertThresholds,
  type DeskObservation,
  dropRateFromScore,
  evaluateRules,
} from './alert-rules.js';
import { AlertTracker } from './alert-tracker.js';

const DESK_RULES: ReadonlySet<Alert['rule']> = new Set([
  'desk_quality_low',
  'desk_offline',
  'reconnect_storm',
  'drop_rate_high',
  // Judged once for the whole cluster too, by the same node.
  'forecast_load_high',
]);
/** Alerts kept in memory for a database that does not answer, written once it does. */
const MAX_UNSAVED = 500;
/** Desks silent for longer than this are not watched (their row leaves with CLIENT_STATS_RETENTION_HOURS). */
const WATCHED_DESK_MS = 86_400_000;

export interface AlertServiceOptions {
  thresholds: AlertThresholds;
  /** Shared by every node; absent: alerts live in memory on this node only. */
  history: HistoryStore | undefined;
  node(): string;
  logger: Logger;
  /** Hands an alert that changed to this node's subscribed sockets. */
  push(alert: Alert): void;
  /** The dependencies as the last readiness check saw them. */
  health(): { database: boolean; broker: boolean };
  /** The sample period: a node that sampled within three of them counts as up. */
  sampleIntervalMs: number;
  newId(at: number): string;
  /** The highest expected load of the next 24 h (the forecast); absent: no forecast_load_high. */
  forecastPeak?: () => Promise<{ mean: number; at: number } | null>;
}

const numberAt = (value: unknown, ...path: string[]): number | null => {
  let cur = value;
  for (const key of path)
    cur = cur !== null && typeof cur === 'object' ? (cur as Record<string, unknown>)[key] : undefined;
  return typeof cur === 'number' && Number.isFinite(cur) ? cur : null;
};

/**
 * The alert rules, evaluated on every history tick: node rules by each node about itself, desk
 * rules by one node of the cluster (the first by name among those up), so a desk's alert is
 * raised once. Each change is logged, written to the alert log and pushed on `alerts`; changes
 * made by other nodes are read back from the log and pushed to this node's sockets too.
 */
export class AlertService {
  readonly #o: AlertServiceOptions;
  readonly #tracker: AlertTracker;
  #unsaved: Alert[] = [];
  /** Changes of other nodes up to here were pushed already. */
  #cursor: number | undefined;

  constructor(options: AlertServiceOptions) {
    this.#o = options;
    this.#tracker = new AlertTracker(options.node, options.newId);
  }

  /** Alerts pending or firing that this node evaluates. */
  open(): Alert[] {
    return this.#tracker.open();
  }

  /** Alerts not resolved plus those changed since `since`, newest first: the shared log, else this node's own. */
  async list(since: number, limit: number): Promise<Alert[]> {
    if (this.#o.history) return this.#o.history.alerts(since, limit);
    return this.open().slice(0, limit);
  }

  /** Whether this node evaluates the desk rules: the first up node by name (itself when alone or when the log is unreadable). */
  async #evaluatesDesks(now: number): Promise<boolean> {
    const h = this.#o.history;
    if (!h) return true;
    try {
      const nodes = await h.nodes(now - freshWindowMs(this.#o.sampleIntervalMs));
      const first = nodes[0]?.node;
      return first === undefined || first === this.#o.node();
    } catch {
      return true;
    }
  }

  /** Desks with a socket on any node: this node's, and those other nodes sampled in the last three periods. */
  async #connectedAnywhere(tick: SampleTick): Promise<Set<string>> {
    const h = this.#o.history;
    const out = new Set(tick.connected);
    if (!h) return out;
    try {
      const series = await h.read({
        metric: 'desk_connected',
        from: tick.now - freshWindowMs(this.#o.sampleIntervalMs),
        to: tick.now + 1,
        resolutionS: 10,
        stepS: 10,
        maxSeries: 10_000,
      });
      for (const s of series) if (s.desk !== null) out.add(s.desk);
    } catch {
      // the shared log unreadable: this node's own sockets only
    }
    return out;
  }

  async #forecastPeak(): Promise<{ mean: number; at: number } | null> {
    if (!this.#o.forecastPeak || (this.#o.thresholds.forecastCapacityMsgsPerSec ?? 0) <= 0) return null;
    try {
      return await this.#o.forecastPeak();
    } catch (error) {
      this.#o.logger.warn({ err: error }, 'load forecast failed; forecast_load_high not judged');
      return null;
    }
  }

  async evaluate(tick: SampleTick): Promise<Alert[]> {
    const { now } = tick;
    const health = this.#o.health();
    const withDesks = tick.clientStatsOk && (await this.#evaluatesDesks(now));
    const connected = withDesks ? await this.#connectedAnywhere(tick) : tick.connected;
    const desks: DeskObservation[] | null = withDesks
      ? tick.clientStats
          .filter((row) => now - row.receivedAt <= WATCHED_DESK_MS)
          .map((row) => {
            const dropScore = numberAt(row.stats, 'quality', 'dropRate');
            return {
              deskId: row.clientId,
              connected: connected.has(row.clientId),
              lastReportAt: row.receivedAt,
              quality: numberAt(row.stats, 'quality', 'score'),
              reconnects: numberAt(row.stats, 'reconnects'),
              dropRate: dropScore === null ? null : dropRateFromScore(dropScore),
            };
          })
      : null;
    const conditions = evaluateRules(
      {
        now,
        node: tick.node,
        desks,
        ackP99Ms: tick.figures.ackP99Ms,
        queueBytes: tick.figures.queueBytes,
        databaseUp: health.database,
        brokerUp: health.broker,
        // Judged once for the cluster, by the node that judges the desks.
        forecastPeak: withDesks ? await this.#forecastPeak() : null,
      },
      this.#o.thresholds,
    );
    const changed = this.#tracker.update(now, conditions, (rule) => withDesks || !DESK_RULES.has(rule));
    for (const alert of changed) {
      const fields = { rule: alert.rule, subject: alert.subject, state: alert.state, value: alert.value };
      if (alert.state === 'firing') this.#o.logger.warn(fields, `alert firing: ${alert.summary}`);
      else this.#o.logger.info(fields, `alert ${alert.state}: ${alert.summary}`);
      this.#o.push(alert);
    }
    await this.#save(changed);
    await this.#pushOthers(now);
    return changed;
  }

  async #save(changed: readonly Alert[]): Promise<void> {
    const h = this.#o.history;
    if (!h) return;
    this.#unsaved = [...this.#unsaved, ...changed].slice(-MAX_UNSAVED);
    while (this.#unsaved.length > 0) {
      const next = this.#unsaved[0] as Alert;
      try {
        await h.saveAlert(next);
      } catch (err) {
        this.#o.logger.debug(
          { err, waiting: this.#unsaved.length },
          'alert log unavailable; kept for the next tick',
        );
        return;
      }
      this.#unsaved.shift();
    }
  }

  /** Pushes what other nodes changed since the last tick (their own sockets had it at once). */
  async #pushOthers(now: number): Promise<void> {
    const h = this.#o.history;
    if (!h) return;
    const since = this.#cursor ?? now; // from the first tick on: nothing older is news
    let recent: Alert[];
    try {
      recent = await h.alerts(since, 200);
    } catch {
      return;
    }
    const self = this.#o.node();
    let cursor = since;
    for (const alert of [...recent].reverse()) {
      if (alert.updatedAt <= since) continue; // an open alert that did not change
      cursor = Math.max(cursor, alert.updatedAt);
      if (alert.node !== self) this.#o.push(alert);
    }
    this.#cursor = cursor;
  }
}

/** Counts of open alerts by rule and state, for the `avgym_alerts` gauge (closed label sets). */
export function alertCounts(
  alerts: readonly Alert[],
): { rule: Alert['rule']; state: Alert['state']; count: number }[] {
  const out: { rule: Alert['rule']; state: Alert['state']; count: number }[] = [];
  for (const rule of ALERT_RULES) {
    for (const state of ['pending', 'firing'] as const) {
      out.push({ rule, state, count: alerts.filter((a) => a.rule === rule && a.state === state).length });
    }
  }
  return out;
}
