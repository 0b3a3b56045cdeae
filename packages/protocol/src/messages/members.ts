import * as z from 'zod';
import { AccessRule, ClubId } from './clubs.js';
import { EpochMs, hasControlCharacter, IsoDate, MemberId, Text } from './common.js';

export const PLANS = ['basic', 'standard', 'premium', 'student', 'off-peak'] as const;
export const Plan = z.enum(PLANS);
export type Plan = z.infer<typeof Plan>;

export const MEMBER_STATUSES = ['active', 'expired', 'frozen'] as const;
export const MemberStatus = z.enum(MEMBER_STATUSES);
export type MemberStatus = z.infer<typeof MemberStatus>;

const noControl = (s: string) => !hasControlCharacter(s);
const Name = z.string().trim().min(1).max(120).refine(noControl, 'must not contain control characters');
const Email = z.email().max(200);
const Phone = z.string().trim().min(3).max(40).refine(noControl, 'must not contain control characters');
const Notes = Text(2000);
/** A staff note shown as an alert at every check-in (`''` or absent: none). */
const AlertNote = Text(500);
/** What the member owes, in cents (0: nothing). */
const BalanceDueCents = z.number().int().nonnegative().max(100_000_000);

/** Highest `baseVersion` a client may name (a version is bumped once per update). */
export const MAX_MEMBER_VERSION = 2 ** 31 - 1;

/** A member as the server returns it over HTTP and in events. */
export const Member = z.object({
  id: MemberId,
  membershipNumber: z.string(),
  name: z.string(),
  email: z.string().nullable(),
  phone: z.string().nullable(),
  plan: Plan,
  status: MemberStatus,
  expiresAt: IsoDate,
  notes: z.string(),
  version: z.number().int().positive(),
  lastVisitAt: EpochMs.nullable(),
  // Extension (issue 13): optional on the wire so a client reads an older server's members too.
  dateOfBirth: IsoDate.nullable().optional(),
  balanceDueCents: z.number().int().nonnegative().optional(),
  /** The day the waiver was signed; null: not signed. */
  waiverSignedAt: IsoDate.nullable().optional(),
  /** Staff note shown as an alert at check-in; `''`: none. */
  alertNote: z.string().optional(),
  // Extension (issue 17): the home club and where the member may check in (absent: an older server).
  homeClubId: ClubId.optional(),
  accessRule: AccessRule.optional(),
});
export type Member = z.infer<typeof Member>;

/** `member_create`: adds a member. Medium priority. */
export const MemberCreateData = z.strictObject({
  memberId: MemberId.optional(),
  membershipNumber: z
    .string()
    .regex(/^[0-9A-Z-]{4,20}$/, 'expected 4-20 digits, capitals or dashes')
    .optional(),
  name: Name,
  email: Email.optional(),
  phone: Phone.optional(),
  plan: Plan,
  status: MemberStatus.optional(),
  expiresAt: IsoDate,
  notes: Notes.optional(),
  dateOfBirth: IsoDate.optional(),
  balanceDueCents: BalanceDueCents.optional(),
  waiverSignedAt: IsoDate.optional(),
  alertNote: AlertNote.optional(),
  /** Default: the club of the desk that creates the member. */
  homeClubId: ClubId.optional(),
  /** Default `all`. */
  accessRule: AccessRule.optional(),
});
export type MemberCreateData = z.infer<typeof MemberCreateData>;

/** The fields `member_update` may change. */
export const MemberChanges = z
  .strictObject({
    name: Name.optional(),
    email: Email.nullable().optional(),
    phone: Phone.nullable().optional(),
    plan: Plan.optional(),
    status: MemberStatus.optional(),
    expiresAt: IsoDate.optional(),
    notes: Notes.optional(),
    dateOfBirth: IsoDate.nullable().optional(),
    balanceDueCents: BalanceDueCents.optional(),
    waiverSignedAt: IsoDate.nullable().optional(),
    alertNote: AlertNote.optional(),
    homeClubId: ClubId.optional(),
    accessRule: AccessRule.optional(),
  })
  .refine((c) => Object.keys(c).length > 0, 'changes must name at least one field');
export type MemberChanges = z.infer<typeof MemberChanges>;

/** `member_update`: patches a member; a stale `baseVersion` is refused with VERSION_CONFLICT. Medium priority, coalescible by memberId. */
export const MemberUpdateData = z.strictObject({
  memberId: MemberId,
  changes: MemberChanges,
  baseVersion: z.number().int().positive().max(MAX_MEMBER_VERSION).optional(),
});
export type MemberUpdateData = z.infer<typeof MemberUpdateData>;

/**
 * `member_renew`: a new expiry date (and, optionally, plan) for a member, who becomes active.
 * Refused WRONG_STATE for a frozen member (unfreeze first) and VALIDATION_FAILED for an
 * `expiresAt` not after today. Medium priority.
 */
export const MemberRenewData = z.strictObject({
  memberId: MemberId,
  plan: Plan.optional(),
  expiresAt: IsoDate,
  baseVersion: z.number().int().positive().max(MAX_MEMBER_VERSION).optional(),
});
export type MemberRenewData = z.infer<typeof MemberRenewData>;

/** `member_unfreeze`: a frozen member becomes active; refused WRONG_STATE when not frozen. Medium priority. */
export const MemberUnfreezeData = z.strictObject({
  memberId: MemberId,
  baseVersion: z.number().int().positive().max(MAX_MEMBER_VERSION).optional(),
});
export type MemberUnfreezeData = z.infer<typeof MemberUnfreezeData>;
