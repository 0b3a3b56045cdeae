import {
  type AverageStayReport,
  type MemberListReport,
  type MembersPerMonthReport,
  REPORT_DEFAULT_DAYS,
  REPORT_LIST_LIMIT,
  REPORT_MAX_DAYS,
  REPORT_WINDOW_DAYS,
  type ReportDocument,
  type ReportName,
  type ReportsDocument,
  type ReportsQuery,
  reportDays,
  type VisitsByHourReport,
  type VisitsPerDayReport,
} from '@av-gym/protocol';
import { averageStay, membersPerMonth, visitsByHour, visitsPerDay } from './report-builder.js';
import type { ReportRange, ReportStore } from './report-store.js';
import { addDays, LocalCalendar, localDate, localMidnight, zoneOffsetMs } from './time-zone.js';

const DAY_MS = 86_400_000;

/** True when the zone is a whole number of hours off UTC at every month boundary of `[fromMs, toMs]` (DST moves by an hour but for Lord Howe). */
export function wholeHourOffsets(timeZone: string, fromMs: number, toMs: number): boolean {
  for (let t = fromMs; ; t = Math.min(toMs, t + 30 * DAY_MS)) {
    if (zoneOffsetMs(timeZone, t) % 3_600_000 !== 0) return false;
    if (t >= toMs) return true;
  }
}

/** A report query resolved against the clubs: its instants and zone. */
export interface ResolvedRange {
  from: string;
  to: string;
  club: string | null;
  timeZone: string;
  range: ReportRange;
}

/** Thrown for a club id no club has (the route answers 404). */
export class UnknownClubError extends Error {
  readonly code = 'CLUB_NOT_FOUND';
}

/** Thrown when the dates, once the defaults are filled in, are out of order or too far apart (400). */
export class BadRangeError extends Error {
  readonly code = 'BAD_REQUEST';
}

type ReportData = {
  'visits-by-hour': VisitsByHourReport;
  'visits-per-day': VisitsPerDayReport;
  'average-stay': AverageStayReport;
  'members-at-risk': MemberListReport;
  expiring: MemberListReport;
  'members-per-month': MembersPerMonthReport;
};

/** Computes the manager reports from the store's aggregates, in the club's time zone (or `tz`, or UTC, for the chain). */
export class ReportsService {
  readonly #store: ReportStore;
  readonly #now: () => number;

  readonly #sealLagMs: number | undefined;

  /** `sealLagMs`: see {@link ReportRange.sealLagMs} (the server passes CLIENT_TIME_MAX_PAST_MS + 1 day). */
  constructor(store: ReportStore, now: () => number, sealLagMs?: number) {
    this.#store = store;
    this.#now = now;
    this.#sealLagMs = sealLagMs;
  }

  /** True when a club has this id. */
  async clubExists(id: string): Promise<boolean> {
    return (await this.#store.club(id)) !== undefined;
  }

  async resolve(query: ReportsQuery): Promise<ResolvedRange> {
    let timeZone = query.tz ?? 'UTC';
    if (query.club !== undefined) {
      const club = await this.#store.club(query.club);
      if (!club) throw new UnknownClubError(`no club has id ${query.club}`);
      timeZone = club.timeZone;
    }
    const to = query.to ?? localDate(this.#now(), timeZone);
    const from = query.from ?? addDays(to, 1 - REPORT_DEFAULT_DAYS);
    if (from > to) throw new BadRangeError(`bad query: from ${from} is after to ${to}`);
    if (reportDays(from, to) > REPORT_MAX_DAYS)
      throw new BadRangeError(`bad query: at most ${REPORT_MAX_DAYS} days`);
    const fromMs = localMidnight(from, timeZone);
    const toMs = localMidnight(addDays(to, 1), timeZone);
    const range: ReportRange = {
      fromMs,
      toMs,
      now: this.#now(),
      ...(this.#sealLagMs !== undefined ? { sealLagMs: this.#sealLagMs } : {}),
      hourAligned: wholeHourOffsets(timeZone, fromMs, toMs),
      ...(query.club !== undefined ? { club: query.club } : {}),
    };
    return { from, to, club: query.club ?? null, timeZone, range };
  }

  async report<N extends ReportName>(name: N, r: ResolvedRange): Promise<ReportData[N]> {
    return (await this.#compute(name, r)) as ReportData[N];
  }

  async one(name: ReportName, query: ReportsQuery): Promise<ReportDocument> {
    const r = await this.resolve(query);
    const data = await this.#compute(name, r);
    // `data` is the report `name` computes (ReportData), which the union pairs with that name.
    return { ...this.#head(r), report: name, data } as ReportDocument;
  }

  /** Every report; the visit aggregates are read once for the three reports built on them. */
  async all(query: ReportsQuery): Promise<ReportsDocument> {
    const r = await this.resolve(query);
    const calendar = new LocalCalendar(r.timeZone);
    const buckets = await this.#store.visitBuckets(r.range);
    return {
      ...this.#head(r),
      visitsByHour: visitsByHour(buckets, calendar),
      visitsPerDay: visitsPerDay(buckets, calendar, r.from, r.to),
      averageStay: averageStay(buckets),
      membersAtRisk: await this.report('members-at-risk', r),
      expiring: await this.report('expiring', r),
      membersPerMonth: await this.report('members-per-month', r),
    };
  }

  #head(r: ResolvedRange) {
    return { from: r.from, to: r.to, timeZone: r.timeZone, club: r.club, generatedAt: this.#now() };
  }

  async #compute(name: ReportName, r: ResolvedRange): Promise<ReportData[ReportName]> {
    const calendar = new LocalCalendar(r.timeZone);
    const club = r.range.club !== undefined ? { club: r.range.club } : {};
    const now = this.#now();
    const today = localDate(now, r.timeZone);
    switch (name) {
      case 'visits-by-hour':
        return visitsByHour(await this.#store.visitBuckets(r.range), calendar);
      case 'visits-per-day':
        return visitsPerDay(await this.#store.visitBuckets(r.range), calendar, r.from, r.to);
      case 'average-stay':
        return averageStay(await this.#store.visitBuckets(r.range));
      case 'members-at-risk':
        return this.#store.membersAtRisk({
          since: now - REPORT_WINDOW_DAYS * DAY_MS,
          limit: REPORT_LIST_LIMIT,
          ...club,
        });
      case 'expiring':
        return this.#store.expiring({
          fromDate: today,
          toDate: addDays(today, REPORT_WINDOW_DAYS),
          limit: REPORT_LIST_LIMIT,
          ...club,
        });
      case 'members-per-month': {
        const yesterday = addDays(today, -1);
        const lapsedTo = r.to < yesterday ? r.to : yesterday;
        const [joined, lapsed] = await Promise.all([
          this.#store.joinedBuckets(r.range),
          r.from <= lapsedTo
            ? this.#store.expiriesByMonth({ fromDate: r.from, toDate: lapsedTo, ...club })
            : [],
        ]);
        return membersPerMonth(joined, lapsed, calendar, r.from, r.to);
      }
    }
  }
}
