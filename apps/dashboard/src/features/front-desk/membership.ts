import type { Member, MemberStatus } from '@av-gym/protocol';
import type { IconName } from '../../app/icon.js';

const DAY_MS = 86_400_000;

/** Days from `now`'s calendar day to `expiresAt` (YYYY-MM-DD): 0 on the day, negative once past. */
export function daysUntil(expiresAt: string, now: Date): number {
  const [y, m, d] = expiresAt.split('-').map(Number);
  const expiryDay = Date.UTC(y ?? 1970, (m ?? 1) - 1, d ?? 1);
  const today = Date.UTC(now.getFullYear(), now.getMonth(), now.getDate());
  return Math.round((expiryDay - today) / DAY_MS);
}

/** What the member card says about the expiry date; `warn` within 7 days or once expired. */
export function expiryNotice(expiresAt: string, now: Date): { text: string; warn: boolean } {
  const days = daysUntil(expiresAt, now);
  if (days < 0) return { text: `Expired ${-days} day${days === -1 ? '' : 's'} ago`, warn: true };
  if (days === 0) return { text: 'Expires today', warn: true };
  if (days <= 7) return { text: `Expires in ${days} day${days === 1 ? '' : 's'}`, warn: true };
  return { text: `Valid for ${days} more days`, warn: false };
}

/** Status words, a tone for the colour and an icon, so colour is never the only signal. */
export function statusBadge(status: MemberStatus): {
  label: string;
  tone: 'good' | 'fair' | 'poor';
  icon: IconName;
} {
  switch (status) {
    case 'active':
      return { label: 'Active', tone: 'good', icon: 'check' };
    case 'frozen':
      return { label: 'Frozen', tone: 'fair', icon: 'snowflake' };
    case 'expired':
      return { label: 'Expired', tone: 'poor', icon: 'cross' };
  }
}

/** A refusal in words a desk clerk can read to the member; never the raw code. */
export function rejectionText(
  rejection: { code: string; message?: string },
  member?: Pick<Member, 'name' | 'status' | 'expiresAt'>,
): string {
  const who = member?.name ?? 'This member';
  switch (rejection.code) {
    case 'MEMBERSHIP_INACTIVE':
      if (member?.status === 'frozen') return `${who}'s membership is frozen.`;
      if (member) return `${who}'s membership expired on ${formatDate(member.expiresAt)}.`;
      return rejection.message ? capitalise(`${rejection.message}.`) : 'The membership is not active.';
    case 'CHECK_IN_BLOCKED':
      return rejection.message
        ? `Check-in blocked: ${rejection.message}.`
        : 'A blocking alert refused the check-in.';
    case 'FORBIDDEN':
      return rejection.message ? capitalise(`${rejection.message}.`) : 'Your role may not do this.';
    case 'MEMBER_NOT_FOUND':
      return 'No member with this number was found.';
    case 'ALREADY_CHECKED_IN':
      return `${who} is already checked in.`;
    case 'WRONG_STATE':
      if (member?.status === 'frozen') return `${who}'s membership is frozen: unfreeze it first.`;
      return rejection.message ? capitalise(`${rejection.message}.`) : 'This member is not in that state.';
    case 'NOT_CHECKED_IN':
      return `${who} is not checked in.`;
    case 'VERSION_CONFLICT':
      return 'Someone else changed this member a moment ago. Review their values and save again.';
    case 'VALIDATION_FAILED':
      return rejection.message
        ? `Some values are not valid: ${rejection.message}.`
        : 'Some values are not valid.';
    case 'RATE_LIMITED':
    case 'UNAVAILABLE':
    case 'INTERNAL':
      return 'The server could not take this just now. Please try again.';
    case 'OUTBOX_FULL':
      return 'Not saved: this desk already holds as many actions as it can keep while the server is away. Write this one down and enter it once the desk is back online.';
    case 'NOT_SAVED':
      return 'Not saved: this browser refused to store the action (storage full or blocked). Try again, or write it down.';
    case 'BACKPRESSURE':
      return 'Not sent: too many actions are waiting. Try again in a moment.';
    default:
      return rejection.message ? capitalise(rejection.message) : 'The server refused this action.';
  }
}

/** `2026-11-01` as `1 Nov 2026`, independent of the browser's locale and time zone. */
export function formatDate(isoDate: string): string {
  const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
  const [y, m, d] = isoDate.split('-').map(Number);
  if (!y || !m || !d) return isoDate;
  return `${d} ${months[m - 1] ?? '?'} ${y}`;
}

/** A time of day `HH:MM` for today, or `D Mon HH:MM` for an earlier day. */
export function formatWhen(atMs: number, now: Date): string {
  const at = new Date(atMs);
  const hhmm = `${String(at.getHours()).padStart(2, '0')}:${String(at.getMinutes()).padStart(2, '0')}`;
  if (at.toDateString() === now.toDateString()) return hhmm;
  const iso = `${at.getFullYear()}-${at.getMonth() + 1}-${at.getDate()}`;
  return `${formatDate(iso)} ${hhmm}`;
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
