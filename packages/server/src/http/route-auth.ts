import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyReply, RouteOptions } from 'fastify';
import { bearerToken } from './authenticator.js';
import { sendError } from './errors.js';
import type { HttpRefusals } from './http-refusals.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Served without a token (health, login, the dashboard's files, the `/ws` upgrade). */
    public?: boolean;
    /** The route's own check of the bearer token, instead of the staff/API token check. */
    authorize?: (token: string | undefined) => boolean | Promise<boolean>;
  }
}

/** One registered route and whether it answers without a token. */
export interface RouteEntry {
  method: string;
  url: string;
  public: boolean;
}

export interface RouteAuthOptions {
  /** True for a valid staff session or API token. */
  check(token: string): Promise<boolean>;
  /** Counts each 401. */
  refusals?: HttpRefusals;
}

const tables = new WeakMap<FastifyInstance, RouteOptions[]>();

/**
 * Default-deny: every route needs a valid bearer token unless its `config` says `public: true`
 * (or brings its own `authorize`). The check reads the matched route, not the URL, so no spelling
 * of a path (`/%61pi/...`) can reach a route's handler around it. Unmatched requests reach the
 * not-found handler, which serves no data. Register it before any route.
 */
export function registerRouteAuth(app: FastifyInstance, options: RouteAuthOptions): void {
  // Kept as given, since hooks of inner scopes (markPublic) run after this one and amend `config`.
  const table: RouteOptions[] = [];
  tables.set(app, table);
  const refuse = (reply: FastifyReply, message: string) => {
    options.refusals?.count('UNAUTHENTICATED');
    return sendError(reply, 401, 'UNAUTHENTICATED', message);
  };
  const plugin = async (root: FastifyInstance) => {
    root.addHook('onRoute', (route) => {
      table.push(route);
    });
    root.addHook('onRequest', async (request, reply) => {
      if (request.is404) return undefined;
      const config = request.routeOptions.config;
      if (config.public === true) return undefined;
      const token = bearerToken(request.headers.authorization);
      if (config.authorize) {
        return (await config.authorize(token))
          ? undefined
          : refuse(reply, 'send Authorization: Bearer <token> for this route');
      }
      if (!token) return refuse(reply, 'send Authorization: Bearer <token>');
      if (!(await options.check(token)))
        return refuse(reply, 'the token is unknown or expired; log in again');
      return undefined;
    });
  };
  // Not encapsulated (as fastify-plugin does it): the hooks apply to every route, and run after
  // those of plugins registered before (helmet's headers go on a 401 too).
  Object.assign(plugin, { [Symbol.for('skip-override')]: true });
  void app.register(plugin);
}

/** Every route registered on `app` since {@link registerRouteAuth}, one entry per method. */
export function routesOf(app: FastifyInstance): RouteEntry[] {
  return (tables.get(app) ?? []).flatMap((route) =>
    (Array.isArray(route.method) ? route.method : [route.method]).map((method) => ({
      method,
      url: route.url,
      public: route.config?.public === true,
    })),
  );
}

/** Marks every route registered later in `scope` (a plugin's own scope) that `which` accepts as public. */
export function markPublic(
  scope: FastifyInstance,
  which: (route: RouteOptions) => boolean = () => true,
): void {
  scope.addHook('onRoute', (route) => {
    if (which(route)) route.config = { ...route.config, public: true };
  });
}

/** A constant-time check of a bearer token against one secret (e.g. METRICS_TOKEN). */
export function secretMatcher(secret: string): (token: string | undefined) => boolean {
  const expected = createHash('sha256').update(secret).digest();
  return (token) =>
    token !== undefined && timingSafeEqual(createHash('sha256').update(token).digest(), expected);
}
