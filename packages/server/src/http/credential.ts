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
  /** When a session expires (epoch ms); API tokens have none. */
  expiresAt?: number;
}

/** Told when credentials stop being valid (logout, expiry sweep, disabled account, removed API token). */
export type RevocationListener = (credentialIds: readonly string[], reason: string) => void;
