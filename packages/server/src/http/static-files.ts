import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';
import { sendError } from './errors.js';
import { markPublic } from './route-auth.js';

/** apps/dashboard/dist, found from this file in src/ or dist/ alike. */
export function defaultDashboardDir(): string {
  return fileURLToPath(new URL('../../../../apps/dashboard/dist/', import.meta.url));
}

export interface StaticFilesOptions {
  /** Serve `*.map` files (default false: they answer 404). */
  serveSourceMaps?: boolean;
}

/** Vite puts content-hashed files under assets/: a new build gives them new names. */
export const IMMUTABLE = 'public, max-age=31536000, immutable';
/** index.html names the current hashed files, so it is revalidated on every load. */
export const REVALIDATE = 'no-cache';

/** Paths the SPA fallback never answers with index.html: the server's own routes. */
const SERVER_PATH = /^\/(api|ws|healthz|readyz|metrics)(\/|$)/;

/**
 * Serves the built dashboard at `/` (public routes), when `dir` holds an index.html; otherwise
 * skips (returns false). Hashed assets are cached for a year, index.html revalidated; source maps
 * only with `serveSourceMaps`. Client-side routes (no file extension) get index.html; anything else
 * unknown, including every spelling of a server path, a JSON 404.
 */
export function registerStaticFiles(
  app: FastifyInstance,
  dir: string,
  options: StaticFilesOptions = {},
): boolean {
  const root = path.resolve(dir);
  const indexFile = path.join(root, 'index.html');
  const indexHtml = fs.existsSync(indexFile) ? fs.readFileSync(indexFile) : undefined;
  if (indexHtml) {
    void app.register(async (scope) => {
      markPublic(scope);
      await scope.register(fastifyStatic, {
        root,
        prefix: '/',
        wildcard: false,
        index: ['index.html'],
        decorateReply: false,
        cacheControl: false,
        globIgnore: options.serveSourceMaps ? [] : ['**/*.map'],
        setHeaders: (reply, filePath) => {
          const inAssets = path.relative(root, filePath).split(path.sep)[0] === 'assets';
          reply.header('cache-control', inAssets ? IMMUTABLE : REVALIDATE);
        },
      });
    });
  }
  app.setNotFoundHandler((request, reply) => {
    const url = (request.url.split('?')[0] ?? '/').slice(0, 200);
    const pathname = normalisedPath(url);
    const clientRoute = !SERVER_PATH.test(pathname) && !/\.[^/]*$/.test(pathname);
    if (indexHtml && clientRoute && (request.method === 'GET' || request.method === 'HEAD')) {
      return reply.type('text/html; charset=utf-8').header('cache-control', REVALIDATE).send(indexHtml);
    }
    return sendError(reply, 404, 'NOT_FOUND', `no route ${request.method} ${url}`);
  });
  return indexHtml !== undefined;
}

/** The path as a router might read it: decoded, slashes collapsed, lower case. */
function normalisedPath(url: string): string {
  let decoded = url;
  try {
    decoded = decodeURIComponent(url);
  } catch {
    // a malformed escape: keep the raw text
  }
  return decoded.replace(/\/{2,}/g, '/').toLowerCase();
}
