import * as z from 'zod';
import { DeskId, EpochMs, Line, MemberId } from './common.js';

/**
 * What the server may flag about a member at check-in (issue 13). Each is informational or
 * blocking by the server's configuration; a blocking one refuses the check-in unless overridden.
 */
export const CHECK_IN_ALERT_TYPES = [
  'expiring_soon',
  'expired',
  'frozen',
  'balance_due',
  'waiver_missing',
  'birthday',
  'pass_back',
  'staff_note',
] as const;
export const CheckInAlertType = z.enum(CHECK_IN_ALERT_TYPES);
export type CheckInAlertType = z.infer<typeof CheckInAlertType>;

/** One alert as the server sends it (ack info, refusal data, check_in.created). */
export const CheckInAlert = z.object({
  type: CheckInAlertType,
  /** True when this alert alone refuses a check-in without an override. */
  blocking: z.boolean(),
  /** Words for the desk, e.g. "membership expires on 2026-12-05 (in 4 days)". */
  text: z.string(),
});
export type CheckInAlert = z.infer<typeof CheckInAlert>;

/** Longest override reason (characters). */
export const MAX_OVERRIDE_REASON_LENGTH = 300;

/** A staff override of the blocking alerts of one check-in: why (required, written down). */
export const CheckInOverride = z.strictObject({
  reason: Line(3, MAX_OVERRIDE_REASON_LENGTH),
});
export type CheckInOverride = z.infer<typeof CheckInOverride>;

/**
 * `check_in`: opens a visit for an active member. High priority. `override` lets a staff role
 * allowed to (`alert_override`) check in past overridable blocking alerts.
 */
export const CheckInData = z.strictObject({
  memberId: MemberId,
  deskId: DeskId.optional(),
  at: EpochMs.optional(),
  override: CheckInOverride.optional(),
});
export type CheckInData = z.infer<typeof CheckInData>;

/** `check_out`: closes the member's open visit. High priority. */
export const CheckOutData = z.strictObject({
  memberId: MemberId,
  deskId: DeskId.optional(),
  at: EpochMs.optional(),
});
export type CheckOutData = z.infer<typeof CheckOutData>;
