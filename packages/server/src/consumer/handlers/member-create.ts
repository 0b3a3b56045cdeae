import { permitted } from '../../auth/permissions.js';
import { type MemberRecord, toMember } from '../../store/records.js';
import type { HandlerContext, MessageHandler, PlannedMessage } from '../handler-context.js';
import { knownClubIds } from './club-gate.js';

/**
 * `member_create`: adds a member, generating the id (`m_<ulid>`) and a 6-digit membership
 * number when absent. Rejects DUPLICATE_MEMBER when the id or number is taken.
 * Info: `{memberId, membershipNumber}`.
 */
export const memberCreate: MessageHandler<'member_create'> = async (
  ctx: HandlerContext,
  messages: readonly PlannedMessage<'member_create'>[],
) => {
  const givenIds = messages.flatMap((m) => (m.data.memberId === undefined ? [] : [m.data.memberId]));
  const existingIds = new Set((await ctx.tx.membersById(givenIds)).keys());
  const givenNumbers = messages.flatMap((m) =>
    m.data.membershipNumber === undefined ? [] : [m.data.membershipNumber],
  );
  const needed = messages.length - givenNumbers.length;
  const generated = await ctx.tx.nextMembershipNumbers(needed);
  const taken = await ctx.tx.takenMembershipNumbers([...givenNumbers, ...generated]);
  const fresh = generated.filter((n) => !taken.has(n));
  const clubs = await knownClubIds(
    ctx.tx,
    messages.map((m) => m.data.homeClubId),
  );
  const inserted: MemberRecord[] = [];
  for (const message of messages) {
    const data = message.data;
    if (!permitted(ctx, message, 'member_create')) continue;
    if (data.homeClubId !== undefined && !clubs.has(data.homeClubId)) {
      ctx.reject(message, 'VALIDATION_FAILED', `homeClubId: no club has id ${data.homeClubId}`);
      continue;
    }
    const id = data.memberId ?? ctx.newId('m');
    if (existingIds.has(id)) {
      ctx.reject(message, 'DUPLICATE_MEMBER', `a member with id ${id} already exists`);
      continue;
    }
    let membershipNumber = data.membershipNumber;
    if (membershipNumber !== undefined && taken.has(membershipNumber)) {
      ctx.reject(message, 'DUPLICATE_MEMBER', `membership number ${membershipNumber} is taken`);
      continue;
    }
    if (membershipNumber === undefined) {
      // Rare: a generated number collided with one a client chose; draw more until one is free.
      while (fresh.length === 0) {
        const more = await ctx.tx.nextMembershipNumbers(8);
        const clash = await ctx.tx.takenMembershipNumbers(more);
        fresh.push(...more.filter((n) => !clash.has(n) && !taken.has(n)));
      }
      membershipNumber = fresh.shift()!;
    }
    const member: MemberRecord = {
      id,
      membershipNumber,
      name: data.name,
      email: data.email ?? null,
      phone: data.phone ?? null,
      plan: data.plan,
      status: data.status ?? 'active',
      expiresAt: data.expiresAt,
      notes: data.notes ?? '',
      version: 1,
      lastVisitAt: null,
      dateOfBirth: data.dateOfBirth ?? null,
      balanceDueCents: data.balanceDueCents ?? 0,
      waiverSignedAt: data.waiverSignedAt ?? null,
      alertNote: data.alertNote ?? '',
      // issue 17: the default club and access to every club unless told otherwise
      ...(data.homeClubId === undefined ? {} : { homeClubId: data.homeClubId }),
      accessRule: data.accessRule ?? 'all',
      createdAt: ctx.now,
      updatedAt: ctx.now,
    };
    existingIds.add(id);
    taken.add(membershipNumber);
    inserted.push(member);
    ctx.audit(message, {
      action: 'member_create',
      memberId: id,
      after: {
        name: member.name,
        membershipNumber,
        plan: member.plan,
        status: member.status,
        expiresAt: member.expiresAt,
      },
    });
    ctx.accept(message, { memberId: id, membershipNumber });
    ctx.emit(message, 'member.created', { member: toMember(member) });
  }
  await ctx.tx.insertMembers(inserted);
};
