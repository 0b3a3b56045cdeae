import { MemberStatus } from '@av-gym/protocol';
import type { FastifyInstance } from 'fastify';
import * as z from 'zod';
import type { Store } from '../store/store.js';
import { type Authenticator, bearerToken } from './authenticator.js';
import { parseOr400, sendError } from './errors.js';

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
  now(): number;
}

/**
 * `/healthz`, `/api/session` and the read API. Every `/api/*` route but login needs a bearer
 * token (staff session or API token).
 */
export function registerApiRoutes(app: FastifyInstance, deps: ApiRouteDeps): void {
  const { store, auth } = deps;

  app.addHook('onRequest', async (request, reply) => {
    const path = request.url.split('?')[0] ?? '';
    if (!path.startsWith('/api/') && path !== '/api') return undefined;
    if (path === '/api/session' && request.method === 'POST') return undefined;
    const token = bearerToken(request.headers.authorization);
    if (!token) return sendError(reply, 401, 'UNAUTHENTICATED', 'send Authorization: Bearer <token>');
    if (!(await auth.check(token))) {
      return sendError(reply, 401, 'UNAUTHENTICATED', 'the token is unknown or expired; log in again');
    }
    return undefined;
  });

  app.get('/healthz', async () => ({ status: 'ok' }));

  app.post('/api/session', async (request, reply) => {
    const body = parseOr400(reply, Login, request.body, 'login');
    if (!body) return reply;
    const session = await auth.login(body.username, body.password);
    if (!session) return sendError(reply, 401, 'BAD_CREDENTIALS', 'wrong username or password');
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
