import * as z from 'zod';
import { ClubId } from '../messages/clubs.js';
import { EpochMs, MemberId } from '../messages/common.js';

/** A query flag: `true`/`1` or `false`/`0`. */
const Flag = z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1');

/** `GET /api/visits` query: one member's visits, only open ones, started since (epoch ms); `limit` 1-1000, default 100. */
export const VisitsQuery = z.strictObject({
  memberId: z.string().min(1).max(64).optional(),
  open: Flag.optional(),
  since: z.coerce.number().int().nonnegative().optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
});
export type VisitsQuery = z.output<typeof VisitsQuery>;

/** One visit: a check-in, and its check-out once there is one. */
export const Visit = z.object({
  id: z.string(),
  memberId: MemberId,
  memberName: z.string(),
  deskId: z.string().nullable(),
  checkedInAt: EpochMs,
  checkedOutAt: EpochMs.nullable(),
  /** Extension (issue 13): blocking alerts overridden at check-in, by whom and why. */
  override: z.object({ reason: z.string(), by: z.string().nullable() }).optional(),
  /** Extension (issue 13): the staff member who checked the member in (absent: unknown, older visits). */
  staff: z.string().nullable().optional(),
  /** Extension (issue 17): the visit's club. */
  clubId: z.string().optional(),
});
export type Visit = z.infer<typeof Visit>;

/** `GET /api/visits` answer, most recent first. */
export const VisitList = z.object({ visits: z.array(Visit) });
export type VisitList = z.infer<typeof VisitList>;

/** `GET /api/occupancy` answer: open visits, capacity, visits started today (UTC) and the average stay of those closed today. */
export const Occupancy = z.object({
  current: z.number().int().nonnegative(),
  capacity: z.number().int().positive(),
  todayTotal: z.number().int().nonnegative(),
  averageStayMinutes: z.number().nonnegative(),
  /** Extension (issue 17): the club asked for (`?clubId=`); absent: the whole chain. */
  clubId: z.string().optional(),
});

/** `GET /api/occupancy` query: one club's figures (`clubId`), or the chain's without it. */
export const OccupancyQuery = z.strictObject({ clubId: ClubId.optional() });
export type OccupancyQuery = z.infer<typeof OccupancyQuery>;
export type Occupancy = z.infer<typeof Occupancy>;
