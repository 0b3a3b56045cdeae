import {
  type HealthStatus,
  LoginRequest,
  type Member,
  type MemberList,
  MembersQuery,
  type SessionToken,
  type VisitList,
  VisitsQuery,
} from '@av-gym/protocol';
import type { FastifyInstance } from 'fastify';
import type { Store } from '../store/store.js';
import { type Authenticator, bearerToken } from './authenticator.js';
import { parseOr400, sendError } from './errors.js';
import type { HttpRefusals } from './http-refusals.js';
import type { LoginThrottle } from './login-throttle.js';

export interface ApiRouteDeps {
  store: Store;
  auth: Authenticator;
  loginThrottle: LoginThrottle;
  refusals: HttpRefusals;
  now(): number;
}

const PUBLIC = { config: { public: true } } as const;

/**
 * `/healthz`, `/api/session` and the read API. Only `/healthz` and login are public; every other
 * route needs a bearer token (staff session or API token), checked by `registerRouteAuth`.
 */
export function registerApiRoutes(app: FastifyInstance, deps: ApiRouteDeps): void {
  const { store, auth, loginThrottle, refusals } = deps;

  app.get('/healthz', PUBLIC, async (): Promise<HealthStatus> => ({ status: 'ok' }));

  app.post('/api/session', PUBLIC, async (request, reply) => {
    const body = parseOr400(reply, LoginRequest, request.body, 'login');
    if (!body) return reply;
    const waitMs = loginThrottle.attempt(body.username, request.ip);
    if (waitMs > 0) {
      refusals.count('TOO_MANY_ATTEMPTS');
      const seconds = Math.ceil(waitMs / 1000);
      reply.header('retry-after', String(seconds));
      return sendError(reply, 429, 'TOO_MANY_ATTEMPTS', `too many failed logins; try again in ${seconds} s`);
    }
    const session = await auth.login(body.username, body.password);
    if (!session) {
      refusals.count('BAD_CREDENTIALS');
      return sendError(reply, 401, 'BAD_CREDENTIALS', 'wrong username or password');
    }
    loginThrottle.succeeded(body.username, request.ip);
    return session satisfies SessionToken;
  });

  app.delete('/api/session', async (request, reply) => {
    const token = bearerToken(request.headers.authorization);
    if (token) await auth.logout(token);
    return reply.code(204).send();
  });

  app.get('/api/members', async (request, reply) => {
    const query = parseOr400(reply, MembersQuery, request.query, 'query');
    if (!query) return reply;
    const members = await store.searchMembers({
      limit: query.limit,
      ...(query.q ? { q: query.q } : {}),
      ...(query.status ? { status: query.status } : {}),
    });
    return { members } satisfies MemberList;
  });

  app.get<{ Params: { id: string } }>('/api/members/:id', async (request, reply) => {
    const member = await store.getMember(request.params.id);
    if (!member) return sendError(reply, 404, 'MEMBER_NOT_FOUND', `no member has id ${request.params.id}`);
    return member satisfies Member;
  });

  app.get('/api/visits', async (request, reply) => {
    const query = parseOr400(reply, VisitsQuery, request.query, 'query');
    if (!query) return reply;
    const visits = await store.listVisits({
      limit: query.limit,
      ...(query.memberId ? { memberId: query.memberId } : {}),
      ...(query.open === undefined ? {} : { open: query.open }),
      ...(query.since === undefined ? {} : { since: query.since }),
    });
    return { visits } satisfies VisitList;
  });

  // `GET /api/occupancy` (chain or one club) is in club-routes.ts.
}
