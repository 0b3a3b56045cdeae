import type {
  AverageStayReport,
  MembersPerMonthReport,
  VisitsByHourReport,
  VisitsPerDayReport,
} from '@av-gym/protocol';
import { type BucketCount, REPORT_BUCKET_MS, type VisitBucket } from './report-store.js';
import { addDays, type LocalCalendar } from './time-zone.js';

/** Visits per local hour of week, Monday first. */
export function visitsByHour(buckets: readonly VisitBucket[], calendar: LocalCalendar): VisitsByHourReport {
  const cells = Array.from({ length: 7 }, () => new Array<number>(24).fill(0));
  for (const b of buckets) {
    const t = calendar.at(b.bucket * REPORT_BUCKET_MS);
    const row = cells[t.weekday] as number[];
    row[t.hour] = (row[t.hour] ?? 0) + b.visits;
  }
  return { cells, max: Math.max(0, ...cells.flat()) };
}

/** Least-squares line through `(i, ys[i])`. */
export function linearFit(ys: readonly number[]): { slopePerDay: number; intercept: number } {
  const count = ys.length;
  if (count === 0) return { slopePerDay: 0, intercept: 0 };
  const meanX = (count - 1) / 2;
  const meanY = ys.reduce((s, y) => s + y, 0) / count;
  let sxy = 0;
  let sxx = 0;
  ys.forEach((y, i) => {
    sxy += (i - meanX) * (y - meanY);
    sxx += (i - meanX) ** 2;
  });
  const slope = sxx === 0 ? 0 : sxy / sxx;
  return { slopePerDay: round(slope, 4), intercept: round(meanY - slope * meanX, 4) };
}

function round(value: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}

/** Visits per local day over `from`..`to` (every day listed, zero or not) with the 7-day mean and the fitted line. */
export function visitsPerDay(
  buckets: readonly VisitBucket[],
  calendar: LocalCalendar,
  from: string,
  to: string,
): VisitsPerDayReport {
  const perDate = new Map<string, number>();
  for (const b of buckets) {
    const date = calendar.at(b.bucket * REPORT_BUCKET_MS).date;
    perDate.set(date, (perDate.get(date) ?? 0) + b.visits);
  }
  const counts: number[] = [];
  const days: VisitsPerDayReport['days'] = [];
  for (let date = from; date <= to; date = addDays(date, 1)) {
    const visits = perDate.get(date) ?? 0;
    counts.push(visits);
    const window = counts.slice(-7);
    days.push({ date, visits, movingAverage7: round(window.reduce((s, v) => s + v, 0) / window.length, 2) });
  }
  return { days, trend: linearFit(counts) };
}

/** Mean stay of the closed visits among the buckets, minutes to one decimal. */
export function averageStay(buckets: readonly VisitBucket[]): AverageStayReport {
  let closed = 0;
  let stayMs = 0;
  for (const b of buckets) {
    closed += b.closed;
    stayMs += b.stayMsSum;
  }
  return { closedVisits: closed, averageStayMinutes: closed === 0 ? 0 : round(stayMs / closed / 60_000, 1) };
}

/** Every month `YYYY-MM` touched by `from`..`to`. */
export function monthsBetween(from: string, to: string): string[] {
  const months: string[] = [];
  let y = Number(from.slice(0, 4));
  let m = Number(from.slice(5, 7));
  const last = to.slice(0, 7);
  for (;;) {
    const month = `${y}-${String(m).padStart(2, '0')}`;
    months.push(month);
    if (month >= last) return months;
    m += 1;
    if (m > 12) {
      m = 1;
      y += 1;
    }
  }
}

/** Members joined (created, local month) and lapsed (expiry date in the month and already past) per month. */
export function membersPerMonth(
  joined: readonly BucketCount[],
  lapsed: readonly { month: string; count: number }[],
  calendar: LocalCalendar,
  from: string,
  to: string,
): MembersPerMonthReport {
  const joinedBy = new Map<string, number>();
  for (const b of joined) {
    const month = calendar.at(b.bucket * REPORT_BUCKET_MS).date.slice(0, 7);
    joinedBy.set(month, (joinedBy.get(month) ?? 0) + b.count);
  }
  const lapsedBy = new Map(lapsed.map((l) => [l.month, l.count]));
  return {
    months: monthsBetween(from, to).map((month) => ({
      month,
      joined: joinedBy.get(month) ?? 0,
      lapsed: lapsedBy.get(month) ?? 0,
    })),
  };
}
