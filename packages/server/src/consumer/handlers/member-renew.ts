import { permitted } from '../../auth/permissions.js';
import { changedFields } from '../../store/audit-records.js';
import { isoDateUtc, type MemberRecord, toMember } from '../../store/records.js';
import type { HandlerContext, MessageHandler, PlannedMessage } from '../handler-context.js';

/**
 * `member_renew`: sets a new expiry date (and plan, when given) and makes the member active.
 * Rejects FORBIDDEN unless the sender's role may (manager, admin); MEMBER_NOT_FOUND; WRONG_STATE for a frozen member (unfreezing is its own action, so a
 * renewal never lifts a freeze by the way); VALIDATION_FAILED when `expiresAt` is not after today
 * (UTC, the server's clock); VERSION_CONFLICT (with the current member) on a stale `baseVersion`.
 * Emits `member.updated` with `change: 'renewed'`. Writes an audit row with the fields before and after. Info: `{version, expiresAt}`.
 */
export const memberRenew: MessageHandler<'member_renew'> = async (
  ctx: HandlerContext,
  messages: readonly PlannedMessage<'member_renew'>[],
) => {
  const members = await ctx.tx.membersById([...new Set(messages.map((m) => m.data.memberId))]);
  const today = isoDateUtc(ctx.now);
  const dirty = new Map<string, MemberRecord>();
  for (const message of messages) {
    const { memberId, plan, expiresAt, baseVersion } = message.data;
    if (!permitted(ctx, message, 'member_renew')) continue;
    const current = members.get(memberId);
    if (!current) {
      ctx.reject(message, 'MEMBER_NOT_FOUND', `no member has id ${memberId}`);
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
    if (current.status === 'frozen') {
      ctx.reject(message, 'WRONG_STATE', `${current.name}'s membership is frozen: unfreeze it first`);
      continue;
    }
    if (expiresAt <= today) {
      ctx.reject(message, 'VALIDATION_FAILED', `expiresAt: must be after today (${today})`);
      continue;
    }
    const next: MemberRecord = {
      ...current,
      status: 'active',
      expiresAt,
      plan: plan ?? current.plan,
      version: current.version + 1,
      updatedAt: ctx.now,
    };
    members.set(memberId, next);
    dirty.set(memberId, next);
    ctx.audit(message, { action: 'member_renew', memberId, ...changedFields(current, next) });
    ctx.accept(message, { version: next.version, expiresAt });
    ctx.emit(message, 'member.updated', { member: toMember(next), change: 'renewed' });
  }
  await ctx.tx.saveMembers([...dirty.values()]);
};
