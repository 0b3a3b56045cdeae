import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { StaffRole } from '@av-gym/protocol';
import type { Store } from '../store/store.js';
import type { Credential, RevocationListener } from './credential.js';
import { generatePassword, hashPassword, verifyPassword } from './password.js';
import { REVOCATION_REASONS, Revocations } from './revocations.js';

/** The staff account created at first start. */
export const ADMIN_USERNAME = 'admin';

const digest = (token: string) => createHash('sha256').update(token).digest();

/** The SHA-256 of a token, hex: a {@link Credential}'s id and the key the sessions table stores. */
export const credentialId = (token: string) => digest(token).toString('hex');

export interface AuthenticatorOptions {
  store: Store;
  apiTokens: readonly string[];
  sessionTtlMs: number;
  now(): number;
  /** Told when a revocation listener throws (the others still run). */
  onListenerError?(error: unknown): void;
}

interface ApiToken {
  digest: Buffer;
  id: string;
}

const apiToken = (token: string): ApiToken => {
  const d = digest(token);
  return { digest: d, id: d.toString('hex') };
};

/**
 * Who may talk to the server: configured API tokens and staff sessions (stored by their
 * SHA-256 only, so they survive restarts and a copy of the database opens no session). Token
 * comparisons are constant-time. Logout, a disabled account and a removed API token are
 * announced to {@link onRevoked} listeners, which close that credential's sockets.
 */
export class Authenticator {
  private apiTokens: ApiToken[];
  private readonly revocations: Revocations;

  constructor(private readonly options: AuthenticatorOptions) {
    this.apiTokens = options.apiTokens.map(apiToken);
    this.revocations = new Revocations(options.onListenerError);
  }

  /** The credential `token` stands for: a configured API token or a live staff session; else undefined. */
  async verify(token: string | undefined): Promise<Credential | undefined> {
    if (!token) return undefined;
    const d = digest(token);
    let match: ApiToken | undefined;
    // Every configured token is compared, so the time does not tell which (or whether one) matched.
    for (const known of this.apiTokens) if (timingSafeEqual(d, known.digest) && !match) match = known;
    if (match) return { id: match.id, kind: 'api' };
    const id = d.toString('hex');
    const session = await this.options.store.getSession(id);
    if (!session || session.expiresAt <= this.options.now()) return undefined;
    // Logged out (or disabled) while the lookup was in flight.
    if (this.revocations.recentlyRevoked(id)) return undefined;
    return {
      id,
      kind: 'session',
      username: session.username,
      role: session.role ?? 'desk',
      expiresAt: session.expiresAt,
    };
  }

  /** True for a configured API token or a staff session that has not expired. */
  async check(token: string | undefined): Promise<boolean> {
    return (await this.verify(token)) !== undefined;
  }

  /** Calls `listener` with the ids of credentials that stop being valid; returns a function that stops it. */
  onRevoked(listener: RevocationListener): () => void {
    return this.revocations.on(listener);
  }

  /**
   * Notes sessions revoked on another node, so a check of one of them still in flight here
   * answers no (the row may have been read before that node deleted it).
   */
  noteRevoked(credentialIds: readonly string[]): void {
    this.revocations.remember(credentialIds);
  }

  /** Opens a staff session; undefined when the username or password is wrong or the account is disabled. */
  async login(
    username: string,
    password: string,
  ): Promise<{ token: string; expiresAt: number; username: string; role: StaffRole } | undefined> {
    const staff = await this.options.store.getStaff(username);
    // Hash anyway when the user is unknown, so timing does not reveal which usernames exist.
    const ok = await verifyPassword(password, staff?.passwordHash ?? UNKNOWN_USER_HASH);
    if (!staff || !ok || staff.disabledAt !== undefined) return undefined;
    const now = this.options.now();
    const token = randomBytes(32).toString('base64url');
    const expiresAt = now + this.options.sessionTtlMs;
    await this.options.store.createSession({
      tokenHash: credentialId(token),
      username,
      createdAt: now,
      expiresAt,
    });
    return { token, expiresAt, username, role: staff.role ?? 'desk' };
  }

  /** Ends the staff session of `token` and revokes it (an API token is left alone: it is not a session). */
  async logout(token: string): Promise<void> {
    const d = digest(token);
    let isApiToken = false;
    for (const known of this.apiTokens) isApiToken = timingSafeEqual(d, known.digest) || isApiToken;
    if (isApiToken) return;
    const id = d.toString('hex');
    await this.options.store.deleteSession(id);
    this.revocations.emit([id], REVOCATION_REASONS.logout);
  }

  /**
   * Disables a staff account: no more logins, every session of it ends and is revoked.
   * Returns false when there is no such account.
   */
  async disableStaff(username: string): Promise<boolean> {
    const ended = await this.options.store.disableStaff(username, this.options.now());
    if (ended === undefined) return false;
    this.revocations.emit(ended, REVOCATION_REASONS.disabled);
    return true;
  }

  /** Announces sessions that a staff change ended (disable, password reset or change), so their sockets close. */
  revokeSessions(credentialIds: readonly string[], reason: string): void {
    if (credentialIds.length > 0) this.revocations.emit(credentialIds, reason);
  }

  /**
   * Replaces the accepted API tokens (e.g. re-read on SIGHUP); tokens no longer listed are
   * revoked. Returns how many were added and removed.
   */
  setApiTokens(tokens: readonly string[]): { added: number; removed: number } {
    const next = [...new Set(tokens)].map(apiToken);
    const nextIds = new Set(next.map((t) => t.id));
    const oldIds = new Set(this.apiTokens.map((t) => t.id));
    const removed = [...oldIds].filter((id) => !nextIds.has(id));
    const added = [...nextIds].filter((id) => !oldIds.has(id)).length;
    this.apiTokens = next;
    this.revocations.emit(removed, REVOCATION_REASONS.apiTokenRemoved);
    return { added, removed: removed.length };
  }

  /** Whether `password` is `username`'s current password (false when there is no such account). */
  async passwordMatches(username: string, password: string): Promise<boolean> {
    const staff = await this.options.store.getStaff(username);
    return staff !== undefined && (await verifyPassword(password, staff.passwordHash));
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
      role: 'admin',
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
