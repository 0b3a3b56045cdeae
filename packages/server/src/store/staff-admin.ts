import type { StaffRole } from '@av-gym/protocol';
import type { AuditWho } from './audit-records.js';
import type { StaffRow } from './store.js';

/** Why a staff change was not made. */
export type StaffRefusal = 'not_found' | 'exists' | 'last_admin';

/** A change to an account's role or active state. */
export interface StaffChange {
  role?: StaffRole;
  active?: boolean;
}

/**
 * The audited staff writes (admin screen, `npm run admin`, own password change). Each one
 * writes its audit row (never a password or hash) in the same transaction as the change, and
 * ends the sessions a disable or password change must end, returning their token hashes so the
 * caller can revoke the sockets.
 */
export interface StaffAdmin {
  /** Creates the account; `exists` when the username is taken. */
  create(
    row: StaffRow & { role: StaffRole },
    who: AuditWho,
    at: number,
  ): Promise<StaffRefusal | { ended: [] }>;
  /**
   * Changes role and/or active state. Refuses `last_admin` when it would leave no active admin.
   * Disabling ends every session of the account.
   */
  update(
    username: string,
    change: StaffChange,
    who: AuditWho,
    at: number,
  ): Promise<StaffRefusal | { ended: string[] }>;
  /**
   * Sets a new password hash, makes the account active again and ends its sessions except
   * `keepTokenHash` (the session that changed its own password).
   */
  setPassword(
    username: string,
    passwordHash: string,
    who: AuditWho,
    at: number,
    options?: { keepTokenHash?: string; action?: 'staff_reset_password' | 'password_change' },
  ): Promise<StaffRefusal | { ended: string[] }>;
}
