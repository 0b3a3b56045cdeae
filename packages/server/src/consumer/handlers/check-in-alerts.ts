import type { CheckInAlert, CheckInAlertType } from '@av-gym/protocol';
import { alertFields, type MemberRecord } from '../../store/records.js';

/** Which alert types refuse a check-in and when a second entry is a pass-back. */
export interface CheckInAlertPolicy {
  /** Alert types that refuse the check-in unless overridden (default: expired, frozen). */
  blocking: ReadonlySet<CheckInAlertType>;
  /** A check-in this soon after the member's last one is a `pass_back` (ms; 0: never). */
  passBackMs: number;
}

/** Today's refusals stay as they were: only an expired or frozen membership blocks. */
export const DEFAULT_BLOCKING_ALERTS: readonly CheckInAlertType[] = ['expired', 'frozen'];
export const DEFAULT_PASSBACK_MINUTES = 10;

export const DEFAULT_CHECK_IN_ALERT_POLICY: CheckInAlertPolicy = {
  blocking: new Set(DEFAULT_BLOCKING_ALERTS),
  passBackMs: DEFAULT_PASSBACK_MINUTES * 60_000,
};

/** Days within which an expiry date is `expiring_soon`. */
export const EXPIRING_SOON_DAYS = 7;
const DAY_MS = 86_400_000;

function daysBetween(fromIso: string, toIso: string): number {
  return Math.round((Date.parse(`${toIso}T00:00:00Z`) - Date.parse(`${fromIso}T00:00:00Z`)) / DAY_MS);
}

function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

/** Whether `dateOfBirth` (YYYY-MM-DD) falls on `date`'s day; 29 February counts on the 28th in other years. */
export function isBirthday(dateOfBirth: string, date: string): boolean {
  const birth = dateOfBirth.slice(5);
  const today = date.slice(5);
  if (birth === today) return true;
  return birth === '02-29' && today === '02-28' && !isLeapYear(Number(date.slice(0, 4)));
}

function amount(cents: number): string {
  return (cents / 100).toFixed(2);
}

/**
 * The alerts of one check-in, in a fixed order (blocking state first), from what the check-in
 * already loaded: the member row (its alert fields and `lastVisitAt`). No query of its own.
 * @param date the visit's day, `YYYY-MM-DD` (UTC)
 * @param at the visit's time (ms)
 */
export function checkInAlerts(
  member: MemberRecord,
  date: string,
  at: number,
  policy: CheckInAlertPolicy,
): CheckInAlert[] {
  const out: CheckInAlert[] = [];
  const add = (type: CheckInAlertType, text: string) =>
    out.push({ type, blocking: policy.blocking.has(type), text });
  const fields = alertFields(member);
  if (member.status === 'frozen') add('frozen', 'membership is frozen');
  else if (member.status === 'expired' || member.expiresAt < date)
    add('expired', `membership expired on ${member.expiresAt}`);
  else {
    const days = daysBetween(date, member.expiresAt);
    if (days <= EXPIRING_SOON_DAYS)
      add(
        'expiring_soon',
        days === 0
          ? `membership expires today (${member.expiresAt})`
          : `membership expires on ${member.expiresAt} (in ${days} day${days === 1 ? '' : 's'})`,
      );
  }
  if (fields.balanceDueCents > 0) add('balance_due', `balance due: ${amount(fields.balanceDueCents)}`);
  if (fields.waiverSignedAt === null) add('waiver_missing', 'no signed waiver on file');
  if (
    policy.passBackMs > 0 &&
    member.lastVisitAt !== null &&
    at >= member.lastVisitAt &&
    at - member.lastVisitAt < policy.passBackMs
  ) {
    const minutes = Math.max(1, Math.round((at - member.lastVisitAt) / 60_000));
    add('pass_back', `entered ${minutes} min ago: card used again (pass-back?)`);
  }
  if (fields.alertNote.trim() !== '') add('staff_note', `staff note: ${fields.alertNote.trim()}`);
  if (fields.dateOfBirth !== null && isBirthday(fields.dateOfBirth, date)) add('birthday', 'birthday today');
  return out;
}
