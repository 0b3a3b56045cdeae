import { MemberStatus } from '@av-gym/protocol';
import type { FastifyInstance } from 'fastify';
import * as z from 'zod';
import type { Store } from '../store/store.js';
import { type Authenticator, bearerToken } from './authenticator.js';
import { parseOr400, sendError } from './errors.js';
import type { HttpRefusals } from './http-refusals.js';
import type { LoginThrottle } from './login-throttle.js';

const MembersQuery = z.strictObject({
  q: z.string().trim().max(100).optional(),
  status: MemberStatus.optional(),
  limit: z.coerce.number().int().min(1).max(500).default(50),
});

const bool = z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1');
const VisitsQuery = z.strictObject({
  memberId: z.string().min(1).max(64).optional(),
  open: bool.optional(),
  since: z.coerce.number().int().nonnegative().optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
});

const Login = z.strictObject({ username: z.string().min(1).max(100), password: z.string().min(1).max(500) });

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

  app.get('/healthz', PUBLIC, async () => ({ status: 'ok' }));

  app.post('/api/session', PUBLIC, async (request, reply) => {
    const body = parseOr400(reply, Login, request.body, 'login');
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
    return session;
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
    return { members };
  });

  app.get<{ Params: { id: string } }>('/api/members/:id', async (request, reply) => {
    const member = await store.getMember(request.params.id);
    if (!member) return sendError(reply, 404, 'MEMBER_NOT_FOUND', `no member has id ${request.params.id}`);
    return member;
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
    return { visits };
  });

  app.get('/api/occupancy', async () => store.occupancy(deps.now()));
}
