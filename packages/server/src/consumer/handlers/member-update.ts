import { forbiddenMessage, may } from '@av-gym/protocol';
import { permitted } from '../../auth/permissions.js';
import { changedFields } from '../../store/audit-records.js';
import { type MemberRecord, toMember } from '../../store/records.js';
import type { HandlerContext, MessageHandler, PlannedMessage } from '../handler-context.js';
import { knownClubIds } from './club-gate.js';

/**
 * `member_update`: patches a member and bumps its version, with an audit row of the fields before
 * and after. Rejects FORBIDDEN for a role without `member_update`, or without `member_terms` when
 * plan, status, expiry, home club or access rule change (a desk edits contact details; the club
 * rule decides CLUB_NOT_ALLOWED, which nobody overrides); MEMBER_NOT_FOUND, and
 * VERSION_CONFLICT (with the current member as `data`) when `baseVersion` is stale.
 * Info: `{version}`.
 */
export const memberUpdate: MessageHandler<'member_update'> = async (
  ctx: HandlerContext,
  messages: readonly PlannedMessage<'member_update'>[],
) => {
  const members = await ctx.tx.membersById([...new Set(messages.map((m) => m.data.memberId))]);
  const dirty = new Map<string, MemberRecord>();
  const clubs = await knownClubIds(
    ctx.tx,
    messages.map((m) => m.data.changes.homeClubId),
  );
  for (const message of messages) {
    const { memberId, changes, baseVersion } = message.data;
    if (!permitted(ctx, message, 'member_update')) continue;
    // the membership terms are a manager's: a desk renews nothing by an edit
    const terms =
      changes.plan !== undefined ||
      changes.status !== undefined ||
      changes.expiresAt !== undefined ||
      changes.homeClubId !== undefined ||
      changes.accessRule !== undefined;
    if (terms && !may(message.actor.role, 'member_terms')) {
      ctx.reject(message, 'FORBIDDEN', forbiddenMessage(message.actor.role, 'member_terms'));
      continue;
    }
    const current = members.get(memberId);
    if (!current) {
      ctx.reject(message, 'MEMBER_NOT_FOUND', `no member has id ${memberId}`);
      continue;
    }
    if (changes.homeClubId !== undefined && !clubs.has(changes.homeClubId)) {
      ctx.reject(message, 'VALIDATION_FAILED', `homeClubId: no club has id ${changes.homeClubId}`);
      continue;
    }
    if (baseVersion !== undefined && baseVersion !== current.version) {
      ctx.reject(
        message,
        'VERSION_CONFLICT',
        `member ${memberId} is at version ${current.version}, not ${baseVersion}`,
        toMember(current),
      );
      continue;
    }
    const next: MemberRecord = { ...current, version: current.version + 1, updatedAt: ctx.now };
    if (changes.name !== undefined) next.name = changes.name;
    if (changes.email !== undefined) next.email = changes.email;
    if (changes.phone !== undefined) next.phone = changes.phone;
    if (changes.plan !== undefined) next.plan = changes.plan;
    if (changes.status !== undefined) next.status = changes.status;
    if (changes.expiresAt !== undefined) next.expiresAt = changes.expiresAt;
    if (changes.notes !== undefined) next.notes = changes.notes;
    if (changes.dateOfBirth !== undefined) next.dateOfBirth = changes.dateOfBirth;
    if (changes.balanceDueCents !== undefined) next.balanceDueCents = changes.balanceDueCents;
    if (changes.waiverSignedAt !== undefined) next.waiverSignedAt = changes.waiverSignedAt;
    if (changes.alertNote !== undefined) next.alertNote = changes.alertNote;
    if (changes.homeClubId !== undefined) next.homeClubId = changes.homeClubId;
    if (changes.accessRule !== undefined) next.accessRule = changes.accessRule;
    members.set(memberId, next);
    dirty.set(memberId, next);
    ctx.audit(message, { action: 'member_update', memberId, ...changedFields(current, next) });
    ctx.accept(message, { version: next.version });
    ctx.emit(message, 'member.updated', { member: toMember(next) });
  }
  await ctx.tx.saveMembers([...dirty.values()]);
};
