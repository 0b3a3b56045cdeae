import type { Alert } from '@av-gym/protocol';

/** Alerts by id, newest change kept; resolved ones older than a day dropped. Bounded at 500. */
export function mergeAlerts(current: readonly Alert[], incoming: readonly Alert[], nowMs: number): Alert[] {
  const byId = new Map(current.map((a) => [a.id, a]));
  for (const a of incoming) {
    const old = byId.get(a.id);
    if (!old || old.updatedAt <= a.updatedAt) byId.set(a.id, a);
  }
  return [...byId.values()]
    .filter((a) => a.state !== 'resolved' || nowMs - a.updatedAt < 86_400_000)
    .sort((a, b) => b.updatedAt - a.updatedAt || (a.id < b.id ? 1 : -1))
    .slice(0, 500);
}

const minutes = (ms: number): string => {
  const m = Math.max(0, Math.round(ms / 60_000));
  return m < 1 ? 'less than a minute' : m === 1 ? '1 min' : `${m} min`;
};

/** One alert in words for staff, its duration counted to `nowMs`. */
export function alertWords(a: Alert, nowMs: number): string {
  if (a.rule === 'desk_offline') return `Desk ${a.subject} offline for ${minutes(nowMs - a.startedAt)}`;
  return a.summary;
}

/**
 * The one-line status for staff: "All desks healthy", or the most serious firing alert in words
 * ("Desk 3 offline for 4 min"), with how many more there are.
 */
export function plainStatus(alerts: readonly Alert[], nowMs: number): { text: string; healthy: boolean } {
  const firing = alerts
    .filter((a) => a.state === 'firing')
    .sort(
      (a, b) =>
        Number(b.severity === 'critical') - Number(a.severity === 'critical') || a.startedAt - b.startedAt,
    );
  const first = firing[0];
  if (!first) return { text: 'All desks healthy', healthy: true };
  const more = firing.length - 1;
  return { text: `${alertWords(first, nowMs)}${more > 0 ? ` (and ${more} more)` : ''}`, healthy: false };
}
