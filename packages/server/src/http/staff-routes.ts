import {
  AuditQuery,
  forbiddenMessage,
  may,
  PasswordChangeRequest,
  type SessionInfo,
  type StaffAccount,
  type StaffAction,
  StaffCreateRequest,
  type StaffList,
  StaffPasswordReset,
  StaffUpdateRequest,
} from '@av-gym/protocol';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AuditWho } from '../store/audit-records.js';
import type { StaffRefusal } from '../store/staff-admin.js';
import type { StaffRow, Store } from '../store/store.js';
import { type Authenticator, bearerToken } from './authenticator.js';
import { API_TOKEN_ACTOR, type Credential } from './credential.js';
import { parseOr400, sendError } from './errors.js';
import type { LoginThrottle } from './login-throttle.js';
import { hashPassword, verifyPassword } from './password.js';
import { REVOCATION_REASONS } from './revocations.js';

export interface StaffRouteDeps {
  store: Store;
  auth: Authenticator;
  now(): number;
  /**
   * The login's throttle, also counting wrong current passwords of a password change: a session
   * (a token left on a shared desk) must not be a way to guess the account's password unslowed.
   */
  loginThrottle?: LoginThrottle;
}

/** The wire shape of an account: never its hash. */
export function staffAccount(row: StaffRow): StaffAccount {
  return {
    username: row.username,
    displayName: row.displayName || row.username,
    role: row.role ?? 'desk',
    active: row.disabledAt === undefined,
    createdAt: row.createdAt,
    disabledAt: row.disabledAt ?? null,
  };
}

const REFUSALS: Record<StaffRefusal, [number, 'STAFF_NOT_FOUND' | 'STAFF_EXISTS' | 'LAST_ADMIN', string]> = {
  not_found: [404, 'STAFF_NOT_FOUND', 'no staff account has this username'],
  exists: [409, 'STAFF_EXISTS', 'a staff account with this username exists already'],
  last_admin: [409, 'LAST_ADMIN', 'this is the last active admin: make another account admin first'],
};

/**
 * Who is signed in (`GET /api/session`), the own password change, the staff admin (admin role)
 * and the audit trail (manager and admin). Every route re-reads its credential (a role changed a
 * moment ago counts); the checks are `may` from the one permission table.
 */
export function registerStaffRoutes(app: FastifyInstance, deps: StaffRouteDeps): void {
  const { store, auth } = deps;

  const credentialOf = (request: FastifyRequest) => auth.verify(bearerToken(request.headers.authorization));
  const who = (credential: Credential, request: FastifyRequest): AuditWho => ({
    staff: credential.kind === 'api' ? API_TOKEN_ACTOR : (credential.username ?? ''),
    // The dashboard names its desk (the WebSocket clientId) so audit rows of HTTP changes carry it too.
    deskId: deskHeader(request.headers['x-desk-id']),
  });
  /** The credential when it may do `action` (API tokens act as admin); else a 403 was sent. */
  const allowed = async (request: FastifyRequest, reply: FastifyReply, action: StaffAction) => {
    const credential = await credentialOf(request);
    if (!credential) {
      void sendError(reply, 401, 'UNAUTHENTICATED', 'the token is unknown or expired; log in again');
      return undefined;
    }
    const role = credential.kind === 'api' ? 'admin' : credential.role;
    if (may(role, action)) return credential;
    void sendError(reply, 403, 'FORBIDDEN', forbiddenMessage(role, action));
    return undefined;
  };
  const refuse = (reply: FastifyReply, refusal: StaffRefusal) => {
    const [status, code, message] = REFUSALS[refusal];
    return sendError(reply, status, code, message);
  };

  app.get('/api/session', async (request, reply) => {
    const credential = await credentialOf(request);
    if (!credential)
      return sendError(reply, 401, 'UNAUTHENTICATED', 'the token is unknown or expired; log in again');
    if (credential.kind === 'api')
      return {
        kind: 'api',
        username: API_TOKEN_ACTOR,
        displayName: 'API token',
        role: 'admin',
      } satisfies SessionInfo;
    const staff = await store.getStaff(credential.username ?? '');
    return {
      kind: 'session',
      username: credential.username ?? '',
      displayName: staff?.displayName || (credential.username ?? ''),
      role: credential.role ?? 'desk',
    } satisfies SessionInfo;
  });

  app.post('/api/session/password', async (request, reply) => {
    const body = parseOr400(reply, PasswordChangeRequest, request.body, 'password change');
    if (!body) return reply;
    const credential = await credentialOf(request);
    if (credential?.kind !== 'session' || !credential.username)
      return sendError(reply, 403, 'FORBIDDEN', 'only a staff session has a password to change');
    const waitMs = deps.loginThrottle?.attempt(credential.username, request.ip) ?? 0;
    if (waitMs > 0) {
      const seconds = Math.ceil(waitMs / 1000);
      reply.header('retry-after', String(seconds));
      return sendError(
        reply,
        429,
        'TOO_MANY_ATTEMPTS',
        `too many wrong passwords; try again in ${seconds} s`,
      );
    }
    const staff = await store.getStaff(credential.username);
    if (!staff || !(await verifyPassword(body.currentPassword, staff.passwordHash)))
      return sendError(reply, 403, 'WRONG_PASSWORD', 'the current password is wrong; nothing was changed');
    deps.loginThrottle?.succeeded(credential.username, request.ip);
    const out = await store.staffAdmin.setPassword(
      credential.username,
      await hashPassword(body.newPassword),
      who(credential, request),
      deps.now(),
      { keepTokenHash: credential.id, action: 'password_change' },
    );
    if (typeof out === 'string') return refuse(reply, out);
    auth.revokeSessions(out.ended, REVOCATION_REASONS.passwordChanged);
    return reply.code(204).send();
  });

  app.get('/api/staff', async (request, reply) => {
    if (!(await allowed(request, reply, 'staff_admin'))) return reply;
    return { staff: (await store.listStaff()).map(staffAccount) } satisfies StaffList;
  });

  app.post('/api/staff', async (request, reply) => {
    const credential = await allowed(request, reply, 'staff_admin');
    if (!credential) return reply;
    const body = parseOr400(reply, StaffCreateRequest, request.body, 'staff account');
    if (!body) return reply;
    const now = deps.now();
    const row = {
      username: body.username,
      displayName: body.displayName,
      role: body.role,
      passwordHash: await hashPassword(body.password),
      createdAt: now,
    };
    const out = await store.staffAdmin.create(row, who(credential, request), now);
    if (typeof out === 'string') return refuse(reply, out);
    return reply.code(201).send(staffAccount(row) satisfies StaffAccount);
  });

  app.patch<{ Params: { username: string } }>('/api/staff/:username', async (request, reply) => {
    const credential = await allowed(request, reply, 'staff_admin');
    if (!credential) return reply;
    const body = parseOr400(reply, StaffUpdateRequest, request.body, 'staff change');
    if (!body) return reply;
    const username = request.params.username;
    const change = {
      ...(body.role === undefined ? {} : { role: body.role }),
      ...(body.active === undefined ? {} : { active: body.active }),
    };
    const out = await store.staffAdmin.update(username, change, who(credential, request), deps.now());
    if (typeof out === 'string') return refuse(reply, out);
    auth.revokeSessions(out.ended, REVOCATION_REASONS.disabled);
    const row = await store.getStaff(username);
    return row ? (staffAccount(row) satisfies StaffAccount) : refuse(reply, 'not_found');
  });

  app.post<{ Params: { username: string } }>('/api/staff/:username/password', async (request, reply) => {
    const credential = await allowed(request, reply, 'staff_admin');
    if (!credential) return reply;
    const body = parseOr400(reply, StaffPasswordReset, request.body, 'password reset');
    if (!body) return reply;
    const out = await store.staffAdmin.setPassword(
      request.params.username,
      await hashPassword(body.password),
      who(credential, request),
      deps.now(),
    );
    if (typeof out === 'string') return refuse(reply, out);
    auth.revokeSessions(out.ended, REVOCATION_REASONS.passwordChanged);
    return reply.code(204).send();
  });

  app.get('/api/audit', async (request, reply) => {
    if (!(await allowed(request, reply, 'audit_read'))) return reply;
    const query = parseOr400(reply, AuditQuery, request.query, 'query');
    if (!query) return reply;
    return store.queryAudit(query);
  });
}

/** The `X-Desk-Id` header when it is a plausible desk id (1-128 printable characters), else null. */
function deskHeader(value: string | string[] | undefined): string | null {
  if (typeof value !== 'string' || value.length === 0 || value.length > 128) return null;
  return /^[\x21-\x7e]+$/.test(value) ? value : null;
}
