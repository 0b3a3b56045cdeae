import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';
import { sendError } from './errors.js';

/** apps/dashboard/dist, found from this file in src/ or dist/ alike. */
export function defaultDashboardDir(): string {
  return fileURLToPath(new URL('../../../../apps/dashboard/dist/', import.meta.url));
}

/**
 * Serves the built dashboard at `/` with an SPA fallback to index.html, when `dir` holds an
 * index.html; otherwise skips (returns false). Unknown `/api/*` and `/ws` paths get JSON 404s.
 */
export function registerStaticFiles(app: FastifyInstance, dir: string): boolean {
  const root = path.resolve(dir);
  const hasDashboard = fs.existsSync(path.join(root, 'index.html'));
  if (hasDashboard) {
    void app.register(fastifyStatic, { root, prefix: '/', wildcard: false, index: ['index.html'] });
  }
  app.setNotFoundHandler((request, reply) => {
    const url = request.url.split('?')[0] ?? '/';
    const isApi = url.startsWith('/api/') || url === '/api' || url === '/ws' || url === '/healthz';
    if (hasDashboard && !isApi && (request.method === 'GET' || request.method === 'HEAD')) {
      return reply.type('text/html').sendFile('index.html');
    }
    return sendError(reply, 404, 'NOT_FOUND', `no route ${request.method} ${url}`);
  });
  return hasDashboard;
}
