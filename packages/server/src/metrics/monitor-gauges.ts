import type { Alert } from '@av-gym/protocol';
import { Gauge, type Registry } from 'prom-client';
import { alertCounts } from '../alerts/alert-service.js';
import type { SampleTick } from '../history/history-sampler.js';

/** Most desks with their own series; the rest are counted in `avgym_desks` only. */
export const MAX_DESK_SERIES = 200;
/** A desk not heard from for this long has no series any more (its last values expire). */
export const DESK_SERIES_TTL_MS = 10 * 60_000;

export interface MonitorGaugeSources {
  /** The history sampler's last tick (undefined before the first). */
  lastTick(): SampleTick | undefined;
  /** Gym capacity for `avgym_occupancy_capacity`. */
  capacity: number;
  /** Alerts pending or firing that this node evaluates. */
  openAlerts(): Alert[];
  /** ALERT_OFFLINE_AFTER_SEC: a desk silent this long counts as offline. */
  offlineAfterMs: number;
}

/** A desk id as a label: the id when it is plain, else `other` (ids come from clients). */
export function deskLabel(id: string): string {
  return /^[\w.:-]{1,64}$/.test(id) ? id : 'other';
}

const numberAt = (value: unknown, ...path: string[]): number | null => {
  let cur = value;
  for (const key of path)
    cur = cur !== null && typeof cur === 'object' ? (cur as Record<string, unknown>)[key] : undefined;
  return typeof cur === 'number' && Number.isFinite(cur) ? cur : null;
};

/**
 * Per-desk and business figures in `/metrics`, read from the history sampler's last tick (no
 * database read at scrape time):
 * - `avgym_desk_quality{desk}` 0-100, `avgym_desk_latency_seconds{desk,quantile}` (0.5, 0.95),
 *   `avgym_desk_online{desk}`: at most {@link MAX_DESK_SERIES} desks heard from within
 *   {@link DESK_SERIES_TTL_MS}, most recent first (desks that left expire)
 * - `avgym_desks{state}`: desks `online` / `offline` (every desk, however many)
 * - `avgym_occupancy` and `avgym_occupancy_capacity`: people in the gym now, and its capacity
 * - `avgym_alerts{rule,state}`: alerts pending / firing on this node's evaluation
 */
export function registerMonitorGauges(registry: Registry, sources: MonitorGaugeSources): void {
  const recentDesks = () => {
    const tick = sources.lastTick();
    if (!tick) return [];
    return tick.clientStats
      .filter((row) => tick.now - row.receivedAt <= DESK_SERIES_TTL_MS)
      .sort((a, b) => b.receivedAt - a.receivedAt)
      .slice(0, MAX_DESK_SERIES)
      .map((row) => ({ row, tick, desk: deskLabel(row.clientId) }));
  };
  new Gauge({
    name: 'avgym_desk_quality',
    help: 'Connection quality score (0-100) each desk reported last, over its quality window',
    labelNames: ['desk'],
    registers: [registry],
    collect() {
      this.reset();
      for (const { row, desk } of recentDesks()) {
        const q = numberAt(row.stats, 'quality', 'score');
        if (q !== null) this.set({ desk }, q);
      }
    },
  });
  new Gauge({
    name: 'avgym_desk_latency_seconds',
    help: 'Round-trip latency each desk measured (its kept ping samples), by quantile',
    labelNames: ['desk', 'quantile'],
    registers: [registry],
    collect() {
      this.reset();
      for (const { row, desk } of recentDesks()) {
        for (const [quantile, key] of [
          ['0.5', 'p50'],
          ['0.95', 'p95'],
        ] as const) {
          const ms = numberAt(row.stats, 'latencyMs', key);
          if (ms !== null) this.set({ desk, quantile }, ms / 1000);
        }
      }
    },
  });
  new Gauge({
    name: 'avgym_desk_online',
    help: '1 while a desk has a socket here or reported recently, 0 once it is silent',
    labelNames: ['desk'],
    registers: [registry],
    collect() {
      this.reset();
      for (const { row, tick, desk } of recentDesks()) {
        this.set(
          { desk },
          tick.connected.has(row.clientId) || tick.now - row.receivedAt < sources.offlineAfterMs ? 1 : 0,
        );
      }
    },
  });
  new Gauge({
    name: 'avgym_desks',
    help: 'Desks that reported in the last 24 h, online or offline',
    labelNames: ['state'],
    registers: [registry],
    collect() {
      this.reset();
      const tick = sources.lastTick();
      let online = 0;
      let offline = 0;
      for (const row of tick?.clientStats ?? []) {
        if (!tick || tick.now - row.receivedAt > 86_400_000) continue;
        if (tick.connected.has(row.clientId) || tick.now - row.receivedAt < sources.offlineAfterMs) online++;
        else offline++;
      }
      this.set({ state: 'online' }, online);
      this.set({ state: 'offline' }, offline);
    },
  });
  new Gauge({
    name: 'avgym_occupancy',
    help: 'People checked in now',
    registers: [registry],
    collect() {
      const occupancy = sources.lastTick()?.figures.occupancy;
      if (occupancy !== null && occupancy !== undefined) this.set(occupancy);
    },
  });
  new Gauge({
    name: 'avgym_occupancy_capacity',
    help: 'People the gym holds at once (GYM_CAPACITY)',
    registers: [registry],
    collect() {
      this.set(sources.capacity);
    },
  });
  new Gauge({
    name: 'avgym_alerts',
    help: 'Alerts pending or firing that this node evaluates, by rule',
    labelNames: ['rule', 'state'],
    registers: [registry],
    collect() {
      this.reset();
      for (const { rule, state, count } of alertCounts(sources.openAlerts()))
        this.set({ rule, state }, count);
    },
  });
}
