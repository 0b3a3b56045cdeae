import { type ReadinessReport, type StatsDocument, StatsQuery } from '@av-gym/protocol';
import type { FastifyContextConfig, FastifyInstance } from 'fastify';
import type { FleetPage } from '../metrics/build-stats.js';
import { parseOr400 } from './errors.js';
import { secretMatcher } from './route-auth.js';

export interface OpsRouteDeps {
  /** When set, `/metrics` needs it as bearer token; else `/metrics` is public. */
  metricsToken: string | undefined;
  /** The largest `stats` of one desk shown in `/api/stats` (serialised bytes). */
  statsEntryMaxBytes: number;
  /** The Prometheus text of `/metrics`. */
  metrics(): Promise<{ contentType: string; body: string }>;
  /** The `/readyz` report. */
  readiness(): Promise<ReadinessReport>;
  /** The `/api/stats` document for one page of the fleet. */
  stats(page: FleetPage): Promise<StatsDocument>;
}

/**
 * `/metrics` (public, or behind METRICS_TOKEN), `/readyz` (public) and `/api/stats` (staff or API
 * token; `?limit=&offset=` page the fleet of desks).
 */
export function registerOpsRoutes(app: FastifyInstance, deps: OpsRouteDeps): void {
  const metricsAccess: FastifyContextConfig = deps.metricsToken
    ? { authorize: secretMatcher(deps.metricsToken) }
    : { public: true };
  app.get('/metrics', { config: metricsAccess }, async (_request, reply) => {
    const { contentType, body } = await deps.metrics();
    return reply.type(contentType).send(body);
  });
  app.get('/readyz', { config: { public: true } }, async (_request, reply) => {
    const report = await deps.readiness();
    return reply.code(report.ready ? 200 : 503).send(report);
  });
  app.get('/api/stats', async (request, reply) => {
    const query = parseOr400(reply, StatsQuery, request.query, 'query');
    if (!query) return reply;
    return deps.stats({ ...query, statsMaxBytes: deps.statsEntryMaxBytes });
  });
}
