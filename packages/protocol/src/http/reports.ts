import * as z from 'zod';

/** The reports a manager can read, each as JSON (`/api/reports/:name`) and CSV (`/api/reports/:name.csv`). */
export const REPORT_NAMES = [
  'visits-by-hour',
  'visits-per-day',
  'average-stay',
  'members-at-risk',
  'expiring',
  'members-per-month',
] as const;
export const ReportName = z.enum(REPORT_NAMES);
export type ReportName = z.infer<typeof ReportName>;

/** Longest date range one report covers, days (two years). */
export const REPORT_MAX_DAYS = 731;
/** Days a report covers when the query names no `from`. */
export const REPORT_DEFAULT_DAYS = 30;
/** Most members a list report names (the count covers them all). */
export const REPORT_LIST_LIMIT = 200;
/** "At risk": no visit for this many days. "Expiring": within this many days. */
export const REPORT_WINDOW_DAYS = 30;

const DAY_MS = 86_400_000;

/** A calendar date `YYYY-MM-DD` that exists (2026-02-30 does not). */
export const ReportDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'a date YYYY-MM-DD')
  .refine((d) => {
    const t = Date.parse(`${d}T00:00:00Z`);
    return Number.isFinite(t) && new Date(t).toISOString().startsWith(d);
  }, 'a calendar date');

/** An IANA time zone this runtime knows (`Europe/Berlin`, `UTC`). */
export const TimeZoneName = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9_+\-/]+$/, 'an IANA time zone name')
  .refine((tz) => {
    try {
      new Intl.DateTimeFormat('en-US', { timeZone: tz });
      return true;
    } catch {
      return false;
    }
  }, 'an IANA time zone this server knows');

/** Days from `from` to `to`, both included. */
export function reportDays(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MS) + 1;
}

/**
 * `GET /api/reports[/<name>]` query: the dates `from`..`to` (both included, at most
 * {@link REPORT_MAX_DAYS} days) in the report's time zone: the club's, or `tz` (default UTC)
 * for the whole chain. `club`: one club's id; absent: the chain. Without `to`: today there;
 * without `from`: {@link REPORT_DEFAULT_DAYS} days ending at `to`.
 */
export const ReportsQuery = z
  .strictObject({
    from: ReportDate.optional(),
    to: ReportDate.optional(),
    club: z
      .string()
      .regex(/^[\w-]{1,64}$/, 'a club id')
      .optional(),
    tz: TimeZoneName.optional(),
  })
  .refine((q) => q.from === undefined || q.to === undefined || q.from <= q.to, 'from must not be after to')
  .refine(
    (q) => q.from === undefined || q.to === undefined || reportDays(q.from, q.to) <= REPORT_MAX_DAYS,
    `at most ${REPORT_MAX_DAYS} days`,
  );
export type ReportsQuery = z.output<typeof ReportsQuery>;

/** Visits by hour of week: `cells[day][hour]`, day 0 Monday .. 6 Sunday, hour 0-23 local. */
export const VisitsByHourReport = z.object({
  cells: z.array(z.array(z.number().int().nonnegative()).length(24)).length(7),
  max: z.number().int().nonnegative(),
});
export type VisitsByHourReport = z.infer<typeof VisitsByHourReport>;

/** Visits per local day with the trailing 7-day mean, and a least-squares line over the range. */
export const VisitsPerDayReport = z.object({
  days: z.array(
    z.object({
      date: ReportDate,
      visits: z.number().int().nonnegative(),
      /** Mean of this day and the 6 before it inside the range (fewer at the start). */
      movingAverage7: z.number().nonnegative(),
    }),
  ),
  /** Fitted visits per day: `intercept + slopePerDay * index` (index 0 = `from`). */
  trend: z.object({ slopePerDay: z.number(), intercept: z.number() }),
});
export type VisitsPerDayReport = z.infer<typeof VisitsPerDayReport>;

/** The mean stay of visits that started in the range and are closed. */
export const AverageStayReport = z.object({
  closedVisits: z.number().int().nonnegative(),
  averageStayMinutes: z.number().nonnegative(),
});
export type AverageStayReport = z.infer<typeof AverageStayReport>;

/** A member named by a list report. */
export const ReportMember = z.object({
  id: z.string(),
  membershipNumber: z.string(),
  name: z.string(),
  /** Last visit (epoch ms), null when never. */
  lastVisitAt: z.number().nullable(),
  expiresAt: ReportDate,
});
export type ReportMember = z.infer<typeof ReportMember>;

/** `count` members match; `members` the first {@link REPORT_LIST_LIMIT} of them. */
export const MemberListReport = z.object({
  count: z.number().int().nonnegative(),
  members: z.array(ReportMember).max(REPORT_LIST_LIMIT),
});
export type MemberListReport = z.infer<typeof MemberListReport>;

/** New members (created) and lapsed memberships (expiry passed, not renewed) per local month. */
export const MembersPerMonthReport = z.object({
  months: z.array(
    z.object({
      month: z.string().regex(/^\d{4}-\d{2}$/),
      joined: z.number().int().nonnegative(),
      lapsed: z.number().int().nonnegative(),
    }),
  ),
});
export type MembersPerMonthReport = z.infer<typeof MembersPerMonthReport>;

/** What every report answer carries: the range, zone and club it covers and when it was computed. */
const ReportHead = {
  from: ReportDate,
  to: ReportDate,
  timeZone: z.string(),
  club: z.string().nullable(),
  generatedAt: z.number(),
};

/** `GET /api/reports` answer: every report for one range. */
export const ReportsDocument = z.object({
  ...ReportHead,
  visitsByHour: VisitsByHourReport,
  visitsPerDay: VisitsPerDayReport,
  averageStay: AverageStayReport,
  membersAtRisk: MemberListReport,
  expiring: MemberListReport,
  membersPerMonth: MembersPerMonthReport,
});
export type ReportsDocument = z.infer<typeof ReportsDocument>;

const Head = z.object(ReportHead);

/** `GET /api/reports/:name` answer: one report and its head, told apart by `report`. */
export const ReportDocument = z.discriminatedUnion('report', [
  Head.extend({ report: z.literal('visits-by-hour'), data: VisitsByHourReport }),
  Head.extend({ report: z.literal('visits-per-day'), data: VisitsPerDayReport }),
  Head.extend({ report: z.literal('average-stay'), data: AverageStayReport }),
  Head.extend({ report: z.literal('members-at-risk'), data: MemberListReport }),
  Head.extend({ report: z.literal('expiring'), data: MemberListReport }),
  Head.extend({ report: z.literal('members-per-month'), data: MembersPerMonthReport }),
]);
export type ReportDocument = z.infer<typeof ReportDocument>;
