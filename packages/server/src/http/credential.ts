import type { StaffRole } from '@av-gym/protocol';
import type { Actor } from '../consumer/types.js';

/**
 * Who a connection or request speaks for, once its token has been checked. The token itself is
 * never kept: `id` is its SHA-256 (hex), the same key the sessions table stores, so a revocation
 * can name the credential without the secret.
 */
export interface Credential {
  /** SHA-256 of the token, hex: the key for per-credential budgets and revocation. */
  id: string;
  kind: 'session' | 'api';
  /** The staff account of a session. */
  username?: string;
  /** The role of that account when the session was checked (API tokens act as admin). */
  role?: StaffRole;
  /** When a session expires (epoch ms); API tokens have none. */
  expiresAt?: number;
}

/** Told when credentials stop being valid (logout, expiry sweep, disabled account, removed API token). */
export type RevocationListener = (credentialIds: readonly string[], reason: string) => void;

/** The username API tokens act as in audit rows and the visits' staff column. */
export const API_TOKEN_ACTOR = 'api';

/**
 * The actor a connection's messages carry: the session's staff member and role at desk `deskId`;
 * an API token acts as `api` with the admin role (a service integration, configured by the operator).
 */
export function actorOf(credential: Credential, deskId: string): Actor {
  if (credential.kind === 'api') return { username: API_TOKEN_ACTOR, role: 'admin', deskId };
  return { username: credential.username ?? '', role: credential.role ?? 'desk', deskId };
}
