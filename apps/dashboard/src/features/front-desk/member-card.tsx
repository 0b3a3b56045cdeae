import type { Member } from '@av-gym/protocol';
import { expiryNotice, formatDate, formatWhen, statusBadge } from './membership.js';
import type { DeskAction } from './use-desk-actions.js';

function initials(name: string): string {
  return name
    .split(/\s+/)
    .filter(Boolean)
    .slice(0, 2)
    .map((part) => part[0]?.toUpperCase())
    .join('');
}

/** One member at a glance, with check-in / check-out and the outcome of the last action. */
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
          </p>
        </div>
        <span className={`badge badge-large tone-${badge.tone}`}>
          <span aria-hidden="true">{badge.icon} </span>
          {badge.label}
        </span>
      </div>
      <dl className="facts">
        <div>
          <dt>Expires</dt>
          <dd>
            {formatDate(member.expiresAt)}
            <span className={expiry.warn ? 'warn-text block' : 'muted block'}>
              {expiry.warn && <span aria-hidden="true">⚠ </span>}
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
        <button type="button" className="button primary" onClick={props.onCheckIn}>
          Check in
        </button>
        <button type="button" className="button" onClick={props.onCheckOut}>
          Check out
        </button>
        <button type="button" className="button ghost" onClick={props.onEdit}>
          Edit member
        </button>
      </div>
      {lastAction?.status === 'refused' && (
        <p className="notice notice-poor" role="alert">
          <span aria-hidden="true">✕ </span>
          {lastAction.text}
        </p>
      )}
      {lastAction?.status === 'pending' && (
        <p className="notice notice-fair" role="status">
          <span aria-hidden="true">⏳ </span>
          {lastAction.text}
        </p>
      )}
      {lastAction?.status === 'confirmed' && (
        <p className="notice notice-good" role="status">
          <span aria-hidden="true">✓ </span>
          {lastAction.text}
        </p>
      )}
    </section>
  );
}
