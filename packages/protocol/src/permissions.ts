/**
 * Staff roles and what each may do: the one permission table. The server refuses what `may`
 * denies (`FORBIDDEN`); the dashboard reads the same table to show only the screens a role can use.
 */
export const STAFF_ROLES = ['desk', 'manager', 'admin'] as const;
export type StaffRole = (typeof STAFF_ROLES)[number];

/** Everything a role is checked for, with a one-line meaning. */
export const STAFF_ACTIONS = {
  check_in: 'check a member in',
  check_out: 'check a member out',
  member_create: 'create a member',
  member_update: 'edit a member (name, contact details, notes)',
  member_terms: "change a member's plan, status, expiry date, home club or access rule by an edit",
  member_renew: 'renew an expired membership',
  member_unfreeze: 'unfreeze a frozen membership',
  alert_override: 'override a blocking check-in alert, with a written reason',
  audit_read: 'read the audit trail',
  reports_read:
    'read the reports (visits, stays, members at risk, expiring, new and lapsed) and download them',
  staff_admin: 'create, disable, enable and reset staff accounts and change their roles',
} as const;
export type StaffAction = keyof typeof STAFF_ACTIONS;

const DESK: readonly StaffAction[] = ['check_in', 'check_out', 'member_create', 'member_update'];
const MANAGER: readonly StaffAction[] = [
  ...DESK,
  'member_renew',
  'member_unfreeze',
  'member_terms',
  'alert_override',
  'audit_read',
  'reports_read',
];

/** The permission table: each role's allowed actions (admin: all of them). */
export const ROLE_PERMISSIONS: Readonly<Record<StaffRole, ReadonlySet<StaffAction>>> = {
  desk: new Set(DESK),
  manager: new Set(MANAGER),
  admin: new Set(Object.keys(STAFF_ACTIONS) as StaffAction[]),
};

/**
 * Whether `role` may do `action`. An unknown role (a newer database, a hostile value) may do nothing.
 * @example may('desk', 'member_renew') // false
 */
export function may(role: string | undefined, action: StaffAction): boolean {
  if (role !== 'desk' && role !== 'manager' && role !== 'admin') return false;
  return ROLE_PERMISSIONS[role].has(action);
}

/** The words a refusal carries: who was refused what, and which role could do it. */
export function forbiddenMessage(role: string | undefined, action: StaffAction): string {
  const allowed = STAFF_ROLES.filter((r) => may(r, action));
  return `the ${role ?? 'unknown'} role may not ${STAFF_ACTIONS[action]}; ask a ${allowed.join(' or ')}`;
}
