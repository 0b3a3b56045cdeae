import * as z from 'zod';
import { Club, ClubId } from '../messages/clubs.js';
import { DeskId } from '../messages/common.js';

/** `GET /api/clubs` answer: every club in order; the first is the default club of a desk not set up. */
export const ClubList = z.object({ clubs: z.array(Club), defaultClubId: ClubId });
export type ClubList = z.infer<typeof ClubList>;

/** `PUT /api/desks/:deskId` body: the club this desk belongs to (must exist, else 404 CLUB_NOT_FOUND). */
export const DeskClubRequest = z.strictObject({ clubId: ClubId });
export type DeskClubRequest = z.infer<typeof DeskClubRequest>;

/** `GET` / `PUT /api/desks/:deskId` answer: the desk's club (the default club for a desk never set up). */
export const DeskInfo = z.object({ deskId: DeskId, clubId: ClubId, configured: z.boolean() });
export type DeskInfo = z.infer<typeof DeskInfo>;

/** Occupancy of one club now: open visits and visits started today (UTC). */
export const ClubOccupancy = z.object({
  clubId: ClubId,
  current: z.number().int().nonnegative(),
  capacity: z.number().int().positive(),
  todayTotal: z.number().int().nonnegative(),
});
export type ClubOccupancy = z.infer<typeof ClubOccupancy>;

/** `GET /api/clubs/occupancy` answer: every club's figures, in club order (head office). */
export const ClubOccupancyList = z.object({ clubs: z.array(ClubOccupancy) });
export type ClubOccupancyList = z.infer<typeof ClubOccupancyList>;
