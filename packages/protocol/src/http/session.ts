import * as z from 'zod';
import { StaffRoleSchema } from './staff.js';

/** `POST /api/session` body: staff credentials. */
export const LoginRequest = z.strictObject({
  username: z.string().min(1).max(100),
  password: z.string().min(1).max(500),
});
export type LoginRequest = z.infer<typeof LoginRequest>;

/** `POST /api/session` answer: a bearer token for the API and the WebSocket `hello`, valid until `expiresAt` (epoch ms). */
export const SessionToken = z.object({
  token: z.string().min(1),
  expiresAt: z.number().int().nonnegative(),
  // Extension (issue 13): who signed in; optional so a client reads an older server's answer too.
  username: z.string().optional(),
  role: StaffRoleSchema.optional(),
});
export type SessionToken = z.infer<typeof SessionToken>;
