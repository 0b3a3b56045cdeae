import * as z from 'zod';
import { IsoDate } from '../messages/common.js';

/** Most rows one `GET /api/audit` page holds. */
export const AUDIT_PAGE_MAX = 500;

/** What an audit row records. */
export const AUDIT_ACTIONS = [
  'check_in',
  'check_out',
  'alert_override',
  'member_create',
  'member_update',
  'member_renew',
  'member_unfreeze',
  'staff_create',
  'staff_disable',
  'staff_enable',
  'staff_reset_password',
  'staff_role_change',
  'password_change',
] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

const Filter = z.string().trim().min(1).max(64);

/**
 * `GET /api/audit` query (manager and admin): newest first; each filter narrows (member id, staff
 * username, desk id, UTC day); `before` is the `nextBefore` of the previous page; `limit` 1-500, default 100.
 */
export const AuditQuery = z.strictObject({
  member: Filter.optional(),
  staff: Filter.optional(),
  desk: z.string().trim().min(1).max(128).optional(),
  day: IsoDate.optional(),
  before: z
    .string()
    .regex(/^a_[0-9A-Z]{26}$/, { message: 'before is the nextBefore of a page' })
    .optional(),
  limit: z.coerce.number().int().min(1).max(AUDIT_PAGE_MAX).default(100),
});
export type AuditQuery = z.output<typeof AuditQuery>;

/** One audit row: who (staff, desk) did what, when, to which member or staff account, with the fields before and after. */
export const AuditEntry = z.object({
  id: z.string(),
  at: z.number().int().nonnegative(),
  staff: z.string(),
  deskId: z.string().nullable(),
  action: z.string(),
  memberId: z.string().nullable(),
  targetStaff: z.string().nullable(),
  before: z.record(z.string(), z.unknown()).nullable(),
  after: z.record(z.string(), z.unknown()).nullable(),
  reason: z.string().nullable(),
});
export type AuditEntry = z.infer<typeof AuditEntry>;

/** `GET /api/audit` answer; `nextBefore` is null on the last page. */
export const AuditPage = z.object({ entries: z.array(AuditEntry), nextBefore: z.string().nullable() });
export type AuditPage = z.infer<typeof AuditPage>;
