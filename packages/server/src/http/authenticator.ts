import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Store } from '../store/store.js';
import { generatePassword, hashPassword, verifyPassword } from './password.js';

/** The staff account created at first start. */
export const ADMIN_USERNAME = 'admin';

const digest = (token: string) => createHash('sha256').update(token).digest();

export interface AuthenticatorOptions {
  store: Store;
  apiTokens: readonly string[];
  sessionTtlMs: number;
  now(): number;
}

/**
 * Who may talk to the server: configured API tokens and staff sessions (stored, so they
 * survive restarts). Token comparisons are constant-time.
 */
export class Authenticator {
  private readonly apiTokenDigests: Buffer[];

  constructor(private readonly options: AuthenticatorOptions) {
    this.apiTokenDigests = options.apiTokens.map(digest);
  }

  /** True for a configured API token or a staff session that has not expired. */
  async check(token: string | undefined): Promise<boolean> {
    if (!token) return false;
    const d = digest(token);
    let match = false;
    for (const known of this.apiTokenDigests) match = timingSafeEqual(d, known) || match;
    if (match) return true;
    const session = await this.options.store.getSession(token);
    return session !== undefined && session.expiresAt > this.options.now();
  }

  /** Opens a staff session; undefined when the username or password is wrong. */
  async login(username: string, password: string): Promise<{ token: string; expiresAt: number } | undefined> {
    const staff = await this.options.store.getStaff(username);
    // Hash anyway when the user is unknown, so timing does not reveal which usernames exist.
    const ok = await verifyPassword(password, staff?.passwordHash ?? UNKNOWN_USER_HASH);
    if (!staff || !ok) return undefined;
    const now = this.options.now();
    const token = randomBytes(32).toString('base64url');
    const expiresAt = now + this.options.sessionTtlMs;
    await this.options.store.createSession({ token, username, createdAt: now, expiresAt });
    return { token, expiresAt };
  }

  async logout(token: string): Promise<void> {
    await this.options.store.deleteSession(token);
  }

  /**
   * Creates the `admin` account when missing, with `password` or a generated one.
   * Returns the generated password when one was made (to be shown once), else undefined.
   */
  async ensureAdmin(password: string | undefined): Promise<string | undefined> {
    if (await this.options.store.getStaff(ADMIN_USERNAME)) return undefined;
    const chosen = password ?? generatePassword();
    const created = await this.options.store.ensureStaff({
      username: ADMIN_USERNAME,
      passwordHash: await hashPassword(chosen),
      createdAt: this.options.now(),
    });
    return created && password === undefined ? chosen : undefined;
  }
}

/** A valid hash no password matches in practice (random salt and key). */
const UNKNOWN_USER_HASH = `scrypt$16384$${randomBytes(16).toString('hex')}$${randomBytes(32).toString('hex')}`;

/** The token of an `Authorization: Bearer <token>` header, if any. */
export function bearerToken(header: string | undefined): string | undefined {
  if (!header) return undefined;
  const m = /^Bearer\s+(\S+)\s*$/i.exec(header);
  return m?.[1];
}
