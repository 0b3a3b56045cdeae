import type { Club } from '@av-gym/protocol';
import { ulid } from 'ulid';
import type { MemberRecord, VisitRecord } from './records.js';

const DAY_MS = 86_400_000;
const MINUTE_MS = 60_000;

/** The three clubs of the demo chain; the first is the default club (migration 0008's `main`). */
export const DEMO_CLUBS: readonly Club[] = [
  { id: 'main', name: 'Central', capacity: 120, timeZone: 'Europe/London' },
  { id: 'north', name: 'Northside', capacity: 80, timeZone: 'Europe/London' },
  { id: 'river', name: 'Riverside', capacity: 60, timeZone: 'Europe/Dublin' },
];

/** How members use the gym: a regular comes 3-5 times a week, an occasional about once, a lapsed one stopped. */
export type DemoHabit = 'regular' | 'occasional' | 'lapsed';

/** Visits per week by habit (before the season and weekday factors). */
const WEEKLY_RATE: Record<DemoHabit, number> = { regular: 4, occasional: 1, lapsed: 2 };

/** Month factors (January first): the new-year rise, a summer dip, a December lull. */
export const MONTH_FACTOR = [1.35, 1.2, 1.05, 1, 0.95, 0.85, 0.72, 0.72, 1, 1, 0.95, 0.8] as const;
/** Weekday factors (Sunday first): busy Mondays, quiet weekends. */
export const WEEKDAY_FACTOR = [0.7, 1.15, 1.1, 1.05, 1, 0.85, 0.8] as const;

/** Relative arrivals per local hour on a weekday: a morning peak at 7 and an evening peak at 18. */
const WEEKDAY_HOURS = [
  0, 0, 0, 0, 0, 0.3, 2.2, 3.5, 2.2, 1, 0.8, 0.8, 1.3, 1.1, 0.7, 0.8, 1.5, 3, 3.6, 2.6, 1.3, 0.5, 0.1, 0,
] as const;
/** The same at the weekend: one broad late-morning hump. */
const WEEKEND_HOURS = [
  0, 0, 0, 0, 0, 0, 0.2, 0.8, 1.8, 2.8, 3.2, 3, 2.4, 1.8, 1.5, 1.3, 1.2, 1, 0.6, 0.3, 0.1, 0, 0, 0,
] as const;

export interface DemoHistoryOptions {
  now: number;
  members: readonly MemberRecord[];
  clubs: readonly Club[];
  /** Days of history before today. Default 365. */
  days?: number;
  random: () => number;
}

function cumulative(weights: readonly number[]): number[] {
  let sum = 0;
  const out = weights.map((w) => (sum += w));
  return out.map((c) => c / sum);
}
const WEEKDAY_CDF = cumulative(WEEKDAY_HOURS);
const WEEKEND_CDF = cumulative(WEEKEND_HOURS);

function hourFrom(cdf: readonly number[], r: number): number {
  for (let h = 0; h < cdf.length; h++) if (r < (cdf[h] as number)) return h;
  return cdf.length - 1;
}

/** Minutes a zone is ahead of UTC at `at` (0 for an unknown zone). */
export function zoneOffsetMinutes(timeZone: string, at: number): number {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: 'numeric',
    minute: 'numeric',
  }).formatToParts(new Date(at));
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value ?? 0);
  const local = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'));
  return Math.round((local - Math.floor(at / MINUTE_MS) * MINUTE_MS) / MINUTE_MS);
}

/** Each member's habit and, for a lapsed one, the day they stopped (deterministic from `random`). */
export function demoHabits(
  members: readonly MemberRecord[],
  now: number,
  random: () => number,
): Map<string, { habit: DemoHabit; until: number; morning: boolean }> {
  const out = new Map<string, { habit: DemoHabit; until: number; morning: boolean }>();
  for (const m of members) {
    const roll = random();
    const habit: DemoHabit = roll < 0.3 ? 'regular' : roll < 0.78 ? 'occasional' : 'lapsed';
    // Lapsed: last came 31-200 days ago. Expired members stop at their expiry date.
    let until = habit === 'lapsed' ? now - (31 + Math.floor(random() * 170)) * DAY_MS : now;
    if (m.status === 'expired') until = Math.min(until, Date.parse(`${m.expiresAt}T00:00:00Z`));
    if (m.status === 'frozen') until = Math.min(until, now - (10 + Math.floor(random() * 60)) * DAY_MS);
    out.set(m.id, { habit, until, morning: random() < 0.5 });
  }
  return out;
}

/**
 * A year (by default) of closed visits for the demo chain, deterministic from `random`: each
 * member visits their home club (a member with access `all` now and then another club) on a day
 * with a chance from their habit, the month and the weekday, arriving at a local hour drawn from
 * the weekday or weekend shape (a regular keeps to a morning or evening slot), staying 35-110
 * minutes. Every visit ends at least three hours before `now`, one visit per member per day.
 */
export function buildDemoHistory(options: DemoHistoryOptions): VisitRecord[] {
  const { now, members, clubs, random } = options;
  const days = options.days ?? 365;
  const habits = demoHabits(members, now, random);
  const clubIds = clubs.map((c) => c.id);
  const zone = new Map(clubs.map((c) => [c.id, c.timeZone]));
  const today = Math.floor(now / DAY_MS) * DAY_MS;
  const visits: VisitRecord[] = [];
  const offsets = new Map<string, number>();
  const offsetOf = (clubId: string, day: number) => {
    const key = `${clubId}@${day}`;
    let offset = offsets.get(key);
    if (offset === undefined) {
      offset = zoneOffsetMinutes(zone.get(clubId) ?? 'UTC', day + 12 * 60 * MINUTE_MS);
      offsets.set(key, offset);
    }
    return offset;
  };
  for (let d = days; d >= 0; d--) {
    const day = today - d * DAY_MS;
    const date = new Date(day);
    const weekday = date.getUTCDay();
    const weekend = weekday === 0 || weekday === 6;
    const dayFactor = (MONTH_FACTOR[date.getUTCMonth()] as number) * (WEEKDAY_FACTOR[weekday] as number);
    for (const m of members) {
      const h = habits.get(m.id);
      if (!h || day < m.createdAt - DAY_MS || day > h.until) continue;
      if (random() >= (WEEKLY_RATE[h.habit] / 7) * dayFactor) continue;
      const home = m.homeClubId ?? clubIds[0] ?? 'main';
      const clubId =
        m.accessRule === 'all' && random() < 0.15
          ? (clubIds[Math.floor(random() * clubIds.length)] ?? home)
          : home;
      let hour: number;
      if (h.habit === 'regular' && !weekend && random() < 0.7)
        hour = h.morning ? 6 + Math.floor(random() * 3) : 17 + Math.floor(random() * 3);
      else hour = hourFrom(weekend ? WEEKEND_CDF : WEEKDAY_CDF, random());
      const localMinute = hour * 60 + Math.floor(random() * 60);
      const checkedInAt =
        day + (localMinute - offsetOf(clubId, day)) * MINUTE_MS + Math.floor(random() * MINUTE_MS);
      const checkedOutAt = checkedInAt + (35 + Math.floor(random() * 76)) * MINUTE_MS;
      if (checkedOutAt > now - 3 * 60 * MINUTE_MS || checkedInAt < m.createdAt) continue;
      visits.push({
        id: `v_${ulid(checkedInAt, random)}`,
        memberId: m.id,
        deskId: `${clubId}-desk-1`,
        checkedInAt,
        checkedOutAt,
        clubId,
      });
    }
  }
  return visits;
}
