import * as z from 'zod';
import { Member, MemberStatus } from '../messages/members.js';

/** `GET /api/members` query: a search by name, number, email or phone (`q`), a status filter; `limit` 1-500, default 50. */
export const MembersQuery = z.strictObject({
  q: z.string().trim().max(100).optional(),
  status: MemberStatus.optional(),
  limit: z.coerce.number().int().min(1).max(500).default(50),
});
export type MembersQuery = z.output<typeof MembersQuery>;

/** `GET /api/members` answer. `GET /api/members/:id` answers one {@link Member}, or 404 MEMBER_NOT_FOUND. */
export const MemberList = z.object({ members: z.array(Member) });
export type MemberList = z.infer<typeof MemberList>;
