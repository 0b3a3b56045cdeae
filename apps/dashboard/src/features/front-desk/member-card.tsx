import type { Member } from '@av-gym/protocol';
import { type ReactNode, useState } from 'react';
import { Icon } from '../../app/icon.js';
import { HomeClub } from '../clubs/home-club.js';
import { daysUntil, expiryNotice, formatDate, formatWhen, statusBadge } from './membership.js';
import { RenewForm, useUnfreeze } from './membership-actions.js';
import type { DeskAction } from './use-desk-actions.js';

function initials(name: string): string {
  return name
    .split(/\s+/)
    .filter(Boolean)
    .slice(0, 2)
    .map((part) => part[0]?.toUpperCase())
    .join('');
}

type Primary = 'check_out' | 'unfreeze' | 'renew' | 'check_in';

/** The action the member's state calls for: in the gym, out; frozen, unfreeze; expired, renew; else in. */
export function primaryAction(member: Member, inGym: boolean, now: Date): Primary {
  if (inGym) return 'check_out';
  if (member.status === 'frozen') return 'unfreeze';
  if (member.status === 'expired' || daysUntil(member.expiresAt, now) < 0) return 'renew';
  return 'check_in';
}

/** One member at a glance; the main button follows their state (in, out, renew, unfreeze). */
export function MemberCard(props: {
  member: Member;
  openSinceMs: number | null;
  lastAction: DeskAction | undefined;
  onCheckIn: () => void;
  onCheckOut: () => void;
  onEdit: () => void;
}) {
  const { member, lastAction } = props;
  const now = new Date();
  const badge = statusBadge(member.status);
  const expiry = expiryNotice(member.expiresAt, now);
  const primary = primaryAction(member, props.openSinceMs !== null, now);
  const [renewing, setRenewing] = useState(false);
  const { unfreeze, line: unfreezeLine } = useUnfreeze(member);
  const cls = (kind: Primary, rest = 'button') => (kind === primary ? `${rest} primary` : rest);
  const buttons: Record<Primary, ReactNode> = {
    check_in: (
      <button
        key="in"
        type="button"
        className={cls('check_in')}
        onClick={props.onCheckIn}
        aria-keyshortcuts="Alt+I"
      >
        Check in
      </button>
    ),
    check_out: (
      <button
        key="out"
        type="button"
        className={cls('check_out')}
        onClick={props.onCheckOut}
        aria-keyshortcuts="Alt+O"
      >
        Check out
      </button>
    ),
    renew: (
      <button
        key="renew"
        type="button"
        className={cls('renew')}
        onClick={() => setRenewing((r) => !r)}
        aria-expanded={renewing}
      >
        Renew
      </button>
    ),
    unfreeze: (
      <button key="unfreeze" type="button" className={cls('unfreeze')} onClick={() => void unfreeze()}>
        Unfreeze
      </button>
    ),
  };
  const order: Primary[] = [primary, ...(['check_in', 'check_out'] as const).filter((k) => k !== primary)];
  if (primary !== 'renew' && member.status !== 'frozen' && daysUntil(member.expiresAt, now) <= 7)
    order.push('renew');
  return (
    <section className="card member-card" aria-label={`Member ${member.name}`}>
      <div className="member-head">
        <div className="avatar" role="img" aria-label={`Photo placeholder for ${member.name}`}>
          {initials(member.name)}
        </div>
        <div>
          <h2>{member.name}</h2>
          <p className="muted">
            Card {member.membershipNumber} · {member.plan} plan
            <HomeClub member={member} long />
          </p>
        </div>
        <span className={`badge badge-large tone-${badge.tone}`}>
          <Icon name={badge.icon} />
          {badge.label}
        </span>
      </div>
      <dl className="facts">
        <div>
          <dt>Expires</dt>
          <dd>
            {formatDate(member.expiresAt)}
            <span className={expiry.warn ? 'warn-text block' : 'muted block'}>
              {expiry.warn && <Icon name="warning" size={14} />}
              {expiry.text}
            </span>
          </dd>
        </div>
        <div>
          <dt>Last visit</dt>
          <dd>{member.lastVisitAt ? formatWhen(member.lastVisitAt, now) : 'Never'}</dd>
        </div>
        <div>
          <dt>In the gym</dt>
          <dd>{props.openSinceMs ? `Yes, since ${formatWhen(props.openSinceMs, now)}` : 'No'}</dd>
        </div>
        {member.email && (
          <div className="fact-wide">
            <dt>Email</dt>
            <dd>{member.email}</dd>
          </div>
        )}
        {member.phone && (
          <div>
            <dt>Phone</dt>
            <dd>{member.phone}</dd>
          </div>
        )}
      </dl>
      {member.notes && <p className="notes">{member.notes}</p>}
      <div className="actions">
        {order.map((k) => buttons[k])}
        <button type="button" className="button ghost" onClick={props.onEdit}>
          Edit member
        </button>
      </div>
      {renewing && <RenewForm member={member} />}
      {unfreezeLine}
      {lastAction?.status === 'refused' && (
        <p className="notice notice-poor" role="alert">
          <Icon name="cross" />
          {lastAction.text}
        </p>
      )}
      {lastAction?.status === 'pending' && (
        <p className="notice notice-fair" role="status">
          <Icon name="clock" />
          {lastAction.text}
        </p>
      )}
      {lastAction?.status === 'confirmed' && (
        <p className="notice notice-good" role="status">
          <Icon name="check" />
          {lastAction.text}
        </p>
      )}
    </section>
  );
}
