import type { VisitRecord } from '../../store/records.js';
import type { HandlerContext, MessageHandler, PlannedMessage } from '../handler-context.js';

const MINUTE_MS = 60_000;

/**
 * `check_out`: closes the member's open visit (never before it opened). Rejects
 * MEMBER_NOT_FOUND and NOT_CHECKED_IN. Info: `{visitId, stayMinutes}`. Each check-out is an audit row
 * (staff and desk from the message's actor), written in the same transaction.
 */
export const checkOut: MessageHandler<'check_out'> = async (
  ctx: HandlerContext,
  messages: readonly PlannedMessage<'check_out'>[],
) => {
  const memberIds = [...new Set(messages.map((m) => m.data.memberId))];
  const members = await ctx.tx.membersById(memberIds);
  const open = await ctx.tx.openVisits(memberIds);
  const closed: VisitRecord[] = [];
  for (const message of messages) {
    const { memberId, at } = message.data;
    const member = members.get(memberId);
    if (!member) {
      ctx.reject(message, 'MEMBER_NOT_FOUND', `no member has id ${memberId}`);
      continue;
    }
    const visit = open.get(memberId);
    if (!visit) {
      ctx.reject(message, 'NOT_CHECKED_IN', `${member.name} is not checked in`);
      continue;
    }
    const checkedOutAt = Math.max(at ?? ctx.now, visit.checkedInAt);
    const stayMinutes = Math.round((checkedOutAt - visit.checkedInAt) / MINUTE_MS);
    open.delete(memberId);
    closed.push({ ...visit, checkedOutAt });
    ctx.accept(message, { visitId: visit.id, stayMinutes });
    ctx.audit(message, { action: 'check_out', memberId, after: { visitId: visit.id, stayMinutes } });
    ctx.visitsChanged(message);
    ctx.emit(message, 'check_out.created', {
      visitId: visit.id,
      memberId,
      memberName: member.name,
      deskId: message.data.deskId ?? visit.deskId,
      ...(visit.clubId === undefined ? {} : { clubId: visit.clubId }),
      at: checkedOutAt,
      stayMinutes,
    });
  }
  await ctx.tx.saveVisits(closed);
};
