import { forbiddenMessage, may, type StaffAction } from '@av-gym/protocol';
import type { HandlerContext, PlannedMessage } from '../consumer/handler-context.js';

/**
 * The server's side of the permission table (the table itself is `ROLE_PERMISSIONS` in the
 * protocol, so the dashboard shows only what a role may use): `may(role, action)`, and the
 * handlers' refusal.
 */
export { may, ROLE_PERMISSIONS, STAFF_ACTIONS, type StaffAction } from '@av-gym/protocol';

/**
 * True when the message's actor may do `action`; otherwise rejects it FORBIDDEN (nothing written,
 * the words name the role that could) and returns false. Costs a set lookup: no query.
 * @example if (!permitted(ctx, message, 'member_renew')) continue;
 */
export function permitted(ctx: HandlerContext, message: PlannedMessage, action: StaffAction): boolean {
  if (may(message.actor.role, action)) return true;
  ctx.reject(message, 'FORBIDDEN', forbiddenMessage(message.actor.role, action));
  return false;
}
