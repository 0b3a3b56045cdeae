import * as z from 'zod';
import { STAFF_ROLES } from '../permissions.js';

/** A staff role: `desk`, `manager` or `admin` (see `ROLE_PERMISSIONS`). */
export const StaffRoleSchema = z.enum(STAFF_ROLES);

/** 2-64 letters, digits, dots, dashes or underscores. */
export const StaffUsername = z.string().regex(/^[A-Za-z0-9._-]{2,64}$/, {
  message: 'a username is 2-64 letters, digits, dots, dashes or underscores',
});

/** Shortest and longest password the server accepts (login accepts up to 500 so old ones still work). */
export const PASSWORD_LENGTH = { min: 10, max: 200 } as const;
export const NewPassword = z
  .string()
  .min(PASSWORD_LENGTH.min, { message: `a password has at least ${PASSWORD_LENGTH.min} characters` })
  .max(PASSWORD_LENGTH.max, { message: `a password has at most ${PASSWORD_LENGTH.max} characters` });

const DisplayName = z.string().trim().min(1).max(120);

/** A staff account as the admin screen shows it (never its password or hash). */
export const StaffAccount = z.object({
  username: z.string(),
  displayName: z.string(),
  role: StaffRoleSchema,
  active: z.boolean(),
  createdAt: z.number().int().nonnegative(),
  disabledAt: z.number().int().nonnegative().nullable(),
});
export type StaffAccount = z.infer<typeof StaffAccount>;

/** `GET /api/staff` answer (admin only), by username. */
export const StaffList = z.object({ staff: z.array(StaffAccount) });
export type StaffList = z.infer<typeof StaffList>;

/** `POST /api/staff` body (admin only): a new account with its first password. */
export const StaffCreateRequest = z.strictObject({
  username: StaffUsername,
  displayName: DisplayName,
  role: StaffRoleSchema,
  password: NewPassword,
});
export type StaffCreateRequest = z.infer<typeof StaffCreateRequest>;

/** `PATCH /api/staff/:username` body (admin only): a new role and/or active state. */
export const StaffUpdateRequest = z
  .strictObject({ role: StaffRoleSchema.optional(), active: z.boolean().optional() })
  .refine((b) => b.role !== undefined || b.active !== undefined, 'name role or active');
export type StaffUpdateRequest = z.infer<typeof StaffUpdateRequest>;

/** `POST /api/staff/:username/password` body (admin only): the new password; the account's sessions end. */
export const StaffPasswordReset = z.strictObject({ password: NewPassword });
export type StaffPasswordReset = z.infer<typeof StaffPasswordReset>;

/** `POST /api/session/password` body (any staff session): change one's own password. */
export const PasswordChangeRequest = z.strictObject({
  currentPassword: z.string().min(1).max(500),
  newPassword: NewPassword,
});
export type PasswordChangeRequest = z.infer<typeof PasswordChangeRequest>;

/** `GET /api/session` answer: who the bearer token speaks for. API tokens answer `kind: 'api'` and role admin. */
export const SessionInfo = z.object({
  kind: z.enum(['session', 'api']),
  username: z.string(),
  displayName: z.string(),
  role: StaffRoleSchema,
});
export type SessionInfo = z.infer<typeof SessionInfo>;
