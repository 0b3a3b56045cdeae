import {
  type AlertList,
  AlertsQuery,
  HISTORY_MAX_POINTS,
  HISTORY_MAX_SERIES,
  HISTORY_RESOLUTIONS_S,
  HISTORY_RETENTION_MS,
  type HistoryDocument,
  HistoryQuery,
  type NodeList,
} from '@av-gym/protocol';
import type { FastifyInstance } from 'fastify';
import { freshWindowMs, type HistoryStore } from '../history/history-store.js';
import { parseOr400, sendError } from './errors.js';

export interface MonitorRouteDeps {
  /** Absent (a store without history): empty answers. */
  history: HistoryStore | undefined;
  alerts(since: number, limit: number): Promise<AlertList['alerts']>;
  node(): string;
  /** The sample period: a node that sampled within three of them is up. */
  sampleIntervalMs: number;
  now(): number;
}

/** Points per series a chart gets when the query names no step. */
const TARGET_POINTS = 1_500;
const HOUR_MS = 3_600_000;

/**
 * Picks the stored resolution and the step of a history read: the finest resolution still
 * kept back to `from`, and a step of it (or the one asked) that keeps the answer within
 * {@link HISTORY_MAX_POINTS}. Returns a message instead when the step cannot be served.
 */
export function planHistoryRead(
  from: number,
  to: number,
  now: number,
  step: number | undefined,
): { resolutionS: number; stepS: number } | string {
  const covering = HISTORY_RESOLUTIONS_S.filter((r) => now - HISTORY_RETENTION_MS[r] <= from + r * 1000);
  const finest = covering[0] ?? 3_600;
  const spanS = (to - from) / 1000;
  const stepS = step ?? Math.max(finest, Math.ceil(spanS / TARGET_POINTS / finest) * finest);
  if (stepS % finest !== 0) return `step must be a multiple of ${finest} s for this range`;
  if (spanS / stepS > HISTORY_MAX_POINTS)
    return `too many points: use a step of at least ${Math.ceil(spanS / HISTORY_MAX_POINTS)} s`;
  const resolutionS = [...covering].reverse().find((r) => stepS % r === 0) ?? finest;
  return { resolutionS, stepS };
}

/** `GET /api/history`, `/api/nodes`, `/api/alerts`: staff or API token, like every route that is not public. */
export function registerMonitorRoutes(app: FastifyInstance, deps: MonitorRouteDeps): void {
  app.get('/api/history', async (request, reply) => {
    const q = parseOr400(reply, HistoryQuery, request.query, 'query');
    if (!q) return reply;
    const now = deps.now();
    const to = q.to ?? now;
    const from = q.from ?? to - HOUR_MS;
    if (from >= to) return sendError(reply, 400, 'BAD_REQUEST', 'bad query: from must be before to');
    const plan = planHistoryRead(from, to, now, q.step);
    if (typeof plan === 'string') return sendError(reply, 400, 'BAD_REQUEST', `bad query: ${plan}`);
    const series = deps.history
      ? await deps.history.read({
          metric: q.metric,
          ...(q.desk === undefined ? {} : { desk: q.desk }),
          ...(q.node === undefined ? {} : { node: q.node }),
          from,
          to,
          resolutionS: plan.resolutionS,
          stepS: plan.stepS,
          maxSeries: HISTORY_MAX_SERIES,
        })
      : [];
    return { metric: q.metric, from, to, ...plan, series } satisfies HistoryDocument;
  });

  app.get('/api/nodes', async (): Promise<NodeList> => {
    const now = deps.now();
    const self = deps.node();
    const seen = deps.history ? await deps.history.nodes(now - 24 * HOUR_MS) : [];
    const upSince = now - freshWindowMs(deps.sampleIntervalMs);
    const nodes = seen.map((n) => ({ ...n, up: n.lastSeenAt >= upSince, self: n.node === self }));
    if (!nodes.some((n) => n.self)) nodes.push({ node: self, lastSeenAt: now, up: true, self: true });
    nodes.sort((a, b) => (a.node < b.node ? -1 : a.node > b.node ? 1 : 0));
    return { nodes };
  });

  app.get('/api/alerts', async (request, reply) => {
    const q = parseOr400(reply, AlertsQuery, request.query, 'query');
    if (!q) return reply;
    const alerts = await deps.alerts(q.since ?? deps.now() - 24 * HOUR_MS, q.limit);
    return { alerts } satisfies AlertList;
  });
}
