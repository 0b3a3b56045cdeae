import { permitted } from '../../auth/permissions.js';
import { changedFields } from '../../store/audit-records.js';
import { type MemberRecord, toMember } from '../../store/records.js';
import type { HandlerContext, MessageHandler, PlannedMessage } from '../handler-context.js';

/**
 * `member_unfreeze`: a frozen member becomes active again (the expiry date is kept; one past
 * is still refused at check-in). Rejects FORBIDDEN unless the sender's role may (manager, admin); MEMBER_NOT_FOUND, WRONG_STATE when the member is not
 * frozen, and VERSION_CONFLICT (with the current member) on a stale `baseVersion`. Emits
 * `member.updated` with `change: 'unfrozen'`. Writes an audit row with the fields before and after. Info: `{version}`.
 */
export const memberUnfreeze: MessageHandler<'member_unfreeze'> = async (
  ctx: HandlerContext,
  messages: readonly PlannedMessage<'member_unfreeze'>[],
) => {
  const members = await ctx.tx.membersById([...new Set(messages.map((m) => m.data.memberId))]);
  const dirty = new Map<string, MemberRecord>();
  for (const message of messages) {
    const { memberId, baseVersion } = message.data;
    if (!permitted(ctx, message, 'member_unfreeze')) continue;
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
    if (current.status !== 'frozen') {
      ctx.reject(message, 'WRONG_STATE', `${current.name}'s membership is not frozen`);
      continue;
    }
    const next: MemberRecord = {
      ...current,
      status: 'active',
      version: current.version + 1,
      updatedAt: ctx.now,
    };
    members.set(memberId, next);
    dirty.set(memberId, next);
    ctx.audit(message, { action: 'member_unfreeze', memberId, ...changedFields(current, next) });
    ctx.accept(message, { version: next.version });
    ctx.emit(message, 'member.updated', { member: toMember(next), change: 'unfrozen' });
  }
  await ctx.tx.saveMembers([...dirty.values()]);
};
