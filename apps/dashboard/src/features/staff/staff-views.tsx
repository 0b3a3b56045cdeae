import { may, type StaffAction, type StaffRole } from '@av-gym/protocol';
import { useMemo } from 'react';
import { AuditLog } from './audit-log.js';
import { PasswordChange } from './password-change.js';
import { StaffAdmin } from './staff-admin.js';
import { StaffApi } from './staff-api.js';
import './staff.css';

/** The views of staff accounts and the audit trail, each behind a `#hash` tab. */
export type StaffView = 'staff' | 'audit' | 'password';

const TABS: { view: StaffView; label: string; action?: StaffAction }[] = [
  { view: 'audit', label: 'Audit', action: 'audit_read' },
  { view: 'staff', label: 'Staff', action: 'staff_admin' },
  { view: 'password', label: 'Password' },
];

/** The staff view a location hash names (`#staff`, `#audit`, `#password`), if any. */
export function staffViewFromHash(hash: string): StaffView | undefined {
  return TABS.find((t) => `#${t.view}` === hash)?.view;
}

/** The tabs this role may open (the permission table decides). */
export function StaffTabs(props: { role: StaffRole | undefined; view: string }) {
  return (
    <>
      {TABS.filter((t) => t.action === undefined || may(props.role, t.action)).map((t) => (
        <a
          key={t.view}
          href={`#${t.view}`}
          className="tab"
          aria-current={props.view === t.view ? 'page' : undefined}
        >
          {t.label}
        </a>
      ))}
    </>
  );
}

/** The open staff view, or why this role cannot see it. */
export function StaffViewPanel(props: {
  view: StaffView;
  token: string;
  username: string;
  role: StaffRole | undefined;
  onExpired: () => void;
}) {
  const api = useMemo(() => new StaffApi(props.token, props.onExpired), [props.token, props.onExpired]);
  const tab = TABS.find((t) => t.view === props.view);
  if (tab?.action && !may(props.role, tab.action))
    return (
      <p className="notice notice-poor" role="alert">
        {props.view === 'staff'
          ? 'Staff accounts are for admins.'
          : 'The audit trail is for managers and admins.'}
      </p>
    );
  if (props.view === 'staff') return <StaffAdmin api={api} username={props.username} />;
  if (props.view === 'audit') return <AuditLog api={api} />;
  return <PasswordChange api={api} username={props.username} />;
}
