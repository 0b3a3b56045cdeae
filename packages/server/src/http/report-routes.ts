import {
  type ForecastDocument,
  OccupancyForecastQuery,
  REPORT_NAMES,
  type ReportDocument,
  type ReportName,
  type ReportsDocument,
  ReportsQuery,
} from '@av-gym/protocol';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ForecastService } from '../forecast/forecast-service.js';
import { reportCsv } from '../reports/report-csv.js';
import { BadRangeError, type ReportsService, UnknownClubError } from '../reports/reports-service.js';
import { bearerToken } from './authenticator.js';
import { parseOr400, sendError } from './errors.js';

export interface ReportRouteDeps {
  /** Absent (a store without reports): the routes answer 404. */
  reports: ReportsService | undefined;
  forecasts: ForecastService | undefined;
  /** True when the bearer token's holder may read reports (manager and admin; API tokens). */
  mayReadReports(token: string | undefined): Promise<boolean>;
}

/**
 * `GET /api/reports`, `/api/reports/<name>` and `/api/reports/<name>.csv` for each report
 * (managers), and `GET /api/forecast/occupancy`, `/api/forecast/load` (any staff: the desk's
 * occupancy panel and the monitor show them). Each report has its own routes (no `:name`
 * parameter), so an unknown name is the router's 404.
 */
export function registerReportRoutes(app: FastifyInstance, deps: ReportRouteDeps): void {
  /** The query, once the caller may read reports; undefined when the reply is sent already. */
  const admit = async (request: FastifyRequest, reply: FastifyReply) => {
    if (!(await deps.mayReadReports(bearerToken(request.headers.authorization)))) {
      void sendError(reply, 403, 'FORBIDDEN', 'reports are for managers and admins');
      return undefined;
    }
    const query = parseOr400(reply, ReportsQuery, request.query, 'query');
    if (!query) return undefined;
    if (!deps.reports) {
      void sendError(reply, 404, 'NOT_FOUND', 'this store keeps no reports');
      return undefined;
    }
    return { query, reports: deps.reports };
  };
  const refusal = (reply: FastifyReply, error: unknown) => {
    if (error instanceof UnknownClubError) return sendError(reply, 404, 'CLUB_NOT_FOUND', error.message);
    if (error instanceof BadRangeError) return sendError(reply, 400, 'BAD_REQUEST', error.message);
    throw error;
  };

  app.get('/api/reports', async (request, reply) => {
    const ok = await admit(request, reply);
    if (!ok) return reply;
    try {
      return (await ok.reports.all(ok.query)) satisfies ReportsDocument;
    } catch (error) {
      return refusal(reply, error);
    }
  });

  const one = async (name: ReportName, request: FastifyRequest, reply: FastifyReply) => {
    const ok = await admit(request, reply);
    if (!ok) return undefined;
    try {
      return await ok.reports.one(name, ok.query);
    } catch (error) {
      await refusal(reply, error);
      return undefined;
    }
  };
  for (const name of REPORT_NAMES) {
    app.get(`/api/reports/${name}`, async (request, reply) => {
      const doc = await one(name, request, reply);
      return doc ? (doc satisfies ReportDocument) : reply;
    });
    app.get(`/api/reports/${name}.csv`, async (request, reply) => {
      const doc = await one(name, request, reply);
      if (!doc) return reply;
      const file = `${doc.report}_${doc.club ?? 'chain'}_${doc.from}_${doc.to}.csv`;
      return reply
        .header('content-type', 'text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="${file}"`)
        .send(reportCsv(doc));
    });
  }

  app.get('/api/forecast/occupancy', async (request, reply) => {
    const query = parseOr400(reply, OccupancyForecastQuery, request.query, 'query');
    if (!query) return reply;
    if (!deps.forecasts)
      return sendError(reply, 404, 'NOT_FOUND', 'this store keeps no visits to forecast from');
    if (query.club !== undefined && deps.reports && !(await deps.reports.clubExists(query.club)))
      return sendError(reply, 404, 'CLUB_NOT_FOUND', `no club has id ${query.club}`);
    return (await deps.forecasts.occupancy(query.club)) satisfies ForecastDocument;
  });

  app.get('/api/forecast/load', async (_request, reply) => {
    if (!deps.forecasts)
      return sendError(reply, 404, 'NOT_FOUND', 'this store keeps no history to forecast from');
    return (await deps.forecasts.load()) satisfies ForecastDocument;
  });
}
