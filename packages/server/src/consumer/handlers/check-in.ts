import { isoDateUtc, type MemberRecord, type VisitRecord } from '../../store/records.js';
import type { HandlerContext, MessageHandler, PlannedMessage } from '../handler-context.js';
import { ClubGate } from './club-gate.js';

/** Why a member may not enter on `date` (YYYY-MM-DD), or undefined when the membership is usable. */
export function inactiveReason(member: MemberRecord, date: string): string | undefined {
  if (member.status === 'frozen') return 'membership is frozen';
  if (member.status === 'expired' || member.expiresAt < date)
    return `membership expired on ${member.expiresAt}`;
  return undefined;
}

/**
 * `check_in`: opens a visit. Rejects MEMBER_NOT_FOUND, MEMBERSHIP_INACTIVE (expired, frozen, or
 * expiry date before the visit's date, UTC) and ALREADY_CHECKED_IN. Info: `{visitId}`.
 */
export const checkIn: MessageHandler<'check_in'> = async (
  ctx: HandlerContext,
  messages: readonly PlannedMessage<'check_in'>[],
) => {
  const memberIds = [...new Set(messages.map((m) => m.data.memberId))];
  const members = await ctx.tx.membersById(memberIds);
  const open = await ctx.tx.openVisits(memberIds);
  const gate = await ClubGate.load(
    ctx.tx,
    messages.map((m) => m.data.deskId),
  );
  const inserted: VisitRecord[] = [];
  const touched = new Set<MemberRecord>();
  for (const message of messages) {
    const { memberId, deskId, at } = message.data;
    const member = members.get(memberId);
    if (!member) {
      ctx.reject(message, 'MEMBER_NOT_FOUND', `no member has id ${memberId}`);
      continue;
    }
    const checkedInAt = at ?? ctx.now;
    const reason = inactiveReason(member, isoDateUtc(checkedInAt));
    if (reason) {
      ctx.reject(message, 'MEMBERSHIP_INACTIVE', reason);
      continue;
    }
    // issue 17: the desk's club; a club the member may not use, then a full club, refuse
    const club = gate.clubOf(deskId);
    const refusal = gate.accessRefusal(member, club) ?? gate.capacityRefusal(club);
    if (refusal) {
      ctx.reject(message, refusal.code, refusal.text);
      continue;
    }
    if (open.has(memberId)) {
      ctx.reject(message, 'ALREADY_CHECKED_IN', `${member.name} is already checked in`);
      continue;
    }
    const visit: VisitRecord = {
      id: ctx.newId('v'),
      memberId,
      deskId: deskId ?? null,
      checkedInAt,
      checkedOutAt: null,
      clubId: club.id,
    };
    open.set(memberId, visit);
    inserted.push(visit);
    gate.admit(club);
    if (member.lastVisitAt === null || checkedInAt > member.lastVisitAt) {
      member.lastVisitAt = checkedInAt;
      touched.add(member);
    }
    ctx.accept(message, { visitId: visit.id });
    ctx.visitsChanged(message);
    ctx.emit(message, 'check_in.created', {
      visitId: visit.id,
      memberId,
      memberName: member.name,
      deskId: visit.deskId,
      at: checkedInAt,
      clubId: club.id,
    });
  }
  await ctx.tx.insertVisits(inserted);
  await ctx.tx.setLastVisits([...touched].map((m) => ({ memberId: m.id, at: m.lastVisitAt! })));
};
