import * as z from 'zod';
import { DeskId, EpochMs, MemberId } from './common.js';

/** `check_in`: opens a visit for an active member. High priority. */
export const CheckInData = z.strictObject({
  memberId: MemberId,
  deskId: DeskId.optional(),
  at: EpochMs.optional(),
});
export type CheckInData = z.infer<typeof CheckInData>;

/** `check_out`: closes the member's open visit. High priority. */
export const CheckOutData = z.strictObject({
  memberId: MemberId,
  deskId: DeskId.optional(),
  at: EpochMs.optional(),
});
export type CheckOutData = z.infer<typeof CheckOutData>;
