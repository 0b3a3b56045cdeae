import { type CheckInAlert, forbiddenMessage, type MessageCode, may } from '@av-gym/protocol';
import { isoDateUtc, type MemberRecord, type VisitRecord } from '../../store/records.js';
import type { HandlerContext, MessageHandler, PlannedMessage } from '../handler-context.js';
import { type CheckInAlertPolicy, checkInAlerts, DEFAULT_CHECK_IN_ALERT_POLICY } from './check-in-alerts.js';
import { ClubGate } from './club-gate.js';

/** Why a member may not enter on `date` (YYYY-MM-DD), or undefined when the membership is usable. */
export function inactiveReason(member: MemberRecord, date: string): string | undefined {
  if (member.status === 'frozen') return 'membership is frozen';
  if (member.status === 'expired' || member.expiresAt < date)
    return `membership expired on ${member.expiresAt}`;
  return undefined;
}

/**
 * One thing that refuses a check-in: a blocking alert today, a full club later (issue 17). An
 * overridable one lets a staff role allowed `alert_override` check the member in with a reason.
 */
export interface BlockingReason {
  code: MessageCode;
  text: string;
  overridable: boolean;
}

export interface CheckInOptions {
  /** Which alerts block and the pass-back window (default: expired and frozen block, 10 min). */
  policy?: CheckInAlertPolicy;
}

/** The refusal a blocking alert makes: today's MEMBERSHIP_INACTIVE for expired/frozen, CHECK_IN_BLOCKED for the rest. */
function alertReason(alert: CheckInAlert): BlockingReason {
  const inactive = alert.type === 'expired' || alert.type === 'frozen';
  return { code: inactive ? 'MEMBERSHIP_INACTIVE' : 'CHECK_IN_BLOCKED', text: alert.text, overridable: true };
}

/**
 * `check_in`: opens a visit. Alerts (see check-in-alerts.ts) come from the rows the batch loads
 * anyway. Rejects MEMBER_NOT_FOUND; FORBIDDEN for a role without `check_in`, or an `override`
 * from a role without `alert_override` (nothing written); a blocking alert without an override MEMBERSHIP_INACTIVE (expired, frozen) or
 * CHECK_IN_BLOCKED, with `{alerts, reasons}` as data; ALREADY_CHECKED_IN.
 * Info: `{visitId, alerts?, override?}`.
 */
export function createCheckIn(options: CheckInOptions = {}): MessageHandler<'check_in'> {
  const policy = options.policy ?? DEFAULT_CHECK_IN_ALERT_POLICY;
  return async (ctx: HandlerContext, messages: readonly PlannedMessage<'check_in'>[]) => {
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
      const { memberId, deskId, at, override } = message.data;
      const member = members.get(memberId);
      if (!member) {
        ctx.reject(message, 'MEMBER_NOT_FOUND', `no member has id ${memberId}`);
        continue;
      }
      const { actor } = message;
      if (!may(actor.role, 'check_in')) {
        ctx.reject(message, 'FORBIDDEN', forbiddenMessage(actor.role, 'check_in'));
        continue;
      }
      if (override !== undefined && !may(actor.role, 'alert_override')) {
        ctx.reject(message, 'FORBIDDEN', forbiddenMessage(actor.role, 'alert_override'));
        continue;
      }
      const checkedInAt = at ?? ctx.now;
      const alerts = checkInAlerts(member, isoDateUtc(checkedInAt), checkedInAt, policy);
      const alertReasons = alerts.filter((a) => a.blocking).map(alertReason);
      // issue 17: the desk's club. A blocking alert speaks first (an expired member hears that);
      // past it, a club the member may not use refuses (no override), then a full club.
      const club = gate.clubOf(deskId);
      const denied = gate.accessRefusal(member, club);
      if (denied && (alertReasons.length === 0 || override !== undefined)) {
        ctx.reject(message, denied.code, denied.text);
        continue;
      }
      const full = denied ? undefined : gate.capacityRefusal(club);
      const reasons = [...alertReasons, ...(full ? [full] : [])];
      const first = reasons[0];
      if (first && (override === undefined || reasons.some((r) => !r.overridable))) {
        ctx.reject(message, first.code, reasons.map((r) => r.text).join('; '), {
          alerts,
          reasons,
        });
        continue;
      }
      if (open.has(memberId)) {
        ctx.reject(message, 'ALREADY_CHECKED_IN', `${member.name} is already checked in`);
        continue;
      }
      const overridden = first && override ? { reason: override.reason, by: actor.username } : undefined;
      const visit: VisitRecord = {
        id: ctx.newId('v'),
        memberId,
        deskId: deskId ?? null,
        checkedInAt,
        checkedOutAt: null,
        clubId: club.id,
        // every visit records who checked the member in (the desk is deskId)
        staff: actor.username,
        ...(overridden ? { override: overridden } : {}),
      };
      open.set(memberId, visit);
      inserted.push(visit);
      gate.admit(club);
      if (member.lastVisitAt === null || checkedInAt > member.lastVisitAt) {
        member.lastVisitAt = checkedInAt;
        touched.add(member);
      }
      const extra = {
        ...(alerts.length > 0 ? { alerts } : {}),
        ...(overridden ? { override: overridden } : {}),
      };
      ctx.accept(message, { visitId: visit.id, ...extra });
      ctx.audit(message, { action: 'check_in', memberId, after: { visitId: visit.id } });
      if (overridden)
        ctx.audit(message, {
          action: 'alert_override',
          memberId,
          reason: overridden.reason,
          after: {
            visitId: visit.id,
            overridden: reasons.map((r) => r.code),
            alerts: alerts.map((a) => a.type),
          },
        });
      ctx.visitsChanged(message);
      ctx.emit(message, 'check_in.created', {
        visitId: visit.id,
        memberId,
        memberName: member.name,
        deskId: visit.deskId,
        at: checkedInAt,
        clubId: club.id,
        ...extra,
      });
    }
    await ctx.tx.insertVisits(inserted);
    await ctx.tx.setLastVisits([...touched].map((m) => ({ memberId: m.id, at: m.lastVisitAt! })));
  };
}

/** `check_in` with the default alert policy (expired and frozen block). */
export const checkIn: MessageHandler<'check_in'> = createCheckIn();
