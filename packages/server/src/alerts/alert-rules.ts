import type { AlertRule, AlertSeverity } from '@av-gym/protocol';

/** When each rule counts (the ALERT_* variables; docs/operations.md lists them). */
export interface AlertThresholds {
  /** desk_quality_low: a desk's reported quality score below this (default 50)... */
  qualityMin: number;
  /** ...for this long before firing (default 120 s). */
  qualityForMs: number;
  /** desk_offline: no socket on any node and no client_stats for this long (default 90 s). */
  offlineAfterMs: number;
  /** ack_p99_high: this node's batch handling p99 above this, ms (default 1000). */
  ackP99Ms: number;
  /** reconnect_storm: a desk reporting this many reconnects in its quality window (default 5). */
  reconnects: number;
  /** drop_rate_high: a desk losing more than this percent of its messages (default 5). */
  dropRatePercent: number;
  /** outbound_queue_high: bytes queued to the sockets of this node above this (default 4 MiB). */
  queueBytes: number;
  /** How long every other condition must hold before it fires (default 30 s). */
  forMs: number;
  /**
   * forecast_load_high: the expected messages/s of any of the next 24 h above this (FORECAST_CAPACITY_MSGS_PER_SEC,
   * set from the bench's measured ingest); 0: off.
   */
  forecastCapacityMsgsPerSec?: number;
}

export const DEFAULT_ALERT_THRESHOLDS: Readonly<AlertThresholds> = Object.freeze({
  qualityMin: 50,
  qualityForMs: 120_000,
  offlineAfterMs: 90_000,
  ackP99Ms: 1_000,
  reconnects: 5,
  dropRatePercent: 5,
  queueBytes: 4 * 1024 * 1024,
  forMs: 30_000,
  forecastCapacityMsgsPerSec: 0,
});

/** One desk as the rules see it. */
export interface DeskObservation {
  deskId: string;
  /** A socket of this desk is open on some node (known to this node). */
  connected: boolean;
  /** Wall ms of its last client_stats report (any node). */
  lastReportAt: number;
  quality: number | null;
  reconnects: number | null;
  /** Lost messages over settled, 0..1 (the drop-rate score inverted), when reported. */
  dropRate: number | null;
}

/** Everything one evaluation reads. */
export interface Observation {
  now: number;
  node: string;
  /** Evaluate the desk rules too (one node of a cluster does: the first by name). */
  desks: readonly DeskObservation[] | null;
  ackP99Ms: number;
  queueBytes: number;
  databaseUp: boolean;
  brokerUp: boolean;
  /** The highest expected load of the next 24 h (messages/s, all nodes) and its hour; null: no forecast or not this node's to judge. */
  forecastPeak?: { mean: number; at: number } | null;
}

/** A condition that holds now: its rule, what it is about, and words for a person. */
export interface Condition {
  rule: AlertRule;
  /** The desk id, or the node name for node rules. */
  subject: string;
  severity: AlertSeverity;
  value: number;
  summary: string;
  /** How long it must hold before firing. */
  forMs: number;
  /** When the condition began, if known before this evaluation (desk_offline: the last report). */
  since?: number;
}

const minutes = (ms: number): string => {
  const m = Math.round(ms / 60_000);
  return m < 1 ? 'less than a minute' : m === 1 ? '1 min' : `${m} min`;
};

/** The conditions that hold in `o`: a pure function of the observation and the thresholds. */
export function evaluateRules(o: Observation, t: AlertThresholds): Condition[] {
  const out: Condition[] = [];
  for (const d of o.desks ?? []) {
    const silentMs = o.now - d.lastReportAt;
    if (!d.connected && silentMs >= t.offlineAfterMs) {
      out.push({
        rule: 'desk_offline',
        subject: d.deskId,
        severity: 'critical',
        value: silentMs,
        summary: `Desk ${d.deskId} offline for ${minutes(silentMs)}`,
        forMs: 0,
        since: d.lastReportAt,
      });
      continue; // an offline desk's last figures are stale: no quality alerts on them
    }
    if (d.quality !== null && d.quality < t.qualityMin) {
      out.push({
        rule: 'desk_quality_low',
        subject: d.deskId,
        severity: 'warning',
        value: d.quality,
        summary: `Desk ${d.deskId} connection poor (quality ${Math.round(d.quality)} %)`,
        forMs: t.qualityForMs,
      });
    }
    if (d.reconnects !== null && d.reconnects >= t.reconnects) {
      out.push({
        rule: 'reconnect_storm',
        subject: d.deskId,
        severity: 'warning',
        value: d.reconnects,
        summary: `Desk ${d.deskId} reconnected ${d.reconnects} times`,
        forMs: 0,
      });
    }
    if (d.dropRate !== null && d.dropRate * 100 > t.dropRatePercent) {
      out.push({
        rule: 'drop_rate_high',
        subject: d.deskId,
        severity: 'warning',
        value: d.dropRate,
        summary: `Desk ${d.deskId} is losing ${(d.dropRate * 100).toFixed(1)} % of its messages`,
        forMs: t.forMs,
      });
    }
  }
  if (o.ackP99Ms > t.ackP99Ms) {
    out.push({
      rule: 'ack_p99_high',
      subject: o.node,
      severity: 'warning',
      value: o.ackP99Ms,
      summary: `Node ${o.node} answers slowly (ack p99 ${Math.round(o.ackP99Ms)} ms)`,
      forMs: t.forMs,
    });
  }
  if (o.queueBytes > t.queueBytes) {
    out.push({
      rule: 'outbound_queue_high',
      subject: o.node,
      severity: 'warning',
      value: o.queueBytes,
      summary: `Node ${o.node} has ${(o.queueBytes / 1_048_576).toFixed(1)} MiB waiting for slow screens`,
      forMs: t.forMs,
    });
  }
  if (!o.databaseUp) {
    out.push({
      rule: 'database_down',
      subject: o.node,
      severity: 'critical',
      value: 0,
      summary: `Node ${o.node} cannot reach the database`,
      forMs: 0,
    });
  }
  const peak = o.forecastPeak;
  const capacity = t.forecastCapacityMsgsPerSec ?? 0;
  if (peak && capacity > 0 && peak.mean > capacity) {
    out.push({
      rule: 'forecast_load_high',
      subject: 'cluster',
      severity: 'warning',
      value: peak.mean,
      summary: `Expected load ${Math.round(peak.mean)} msgs/s at ${new Date(peak.at).toISOString().slice(11, 16)} UTC exceeds the measured capacity of ${capacity} msgs/s`,
      forMs: 0,
    });
  }
  if (!o.brokerUp) {
    out.push({
      rule: 'broker_down',
      subject: o.node,
      severity: 'critical',
      value: 0,
      summary: `Node ${o.node} cannot reach the event broker`,
      forMs: 0,
    });
  }
  return out;
}

/** The drop rate a desk's quality factor stands for: the seed's score is 100 - slope * percent (slope 10). */
export function dropRateFromScore(dropRateScore: number, slope = 10): number {
  return Math.max(0, Math.min(1, (100 - dropRateScore) / (slope * 100)));
}
