import {
  type ForecastDocument,
  OccupancyForecastQuery,
  type ReportDocument,
  ReportName,
  type ReportsDocument,
  ReportsQuery,
} from '@av-gym/protocol';
import type { FastifyInstance } from 'fastify';
import type { ForecastService } from '../forecast/forecast-service.js';
import { reportCsv } from '../reports/report-csv.js';
import { type ReportsService, UnknownClubError } from '../reports/reports-service.js';
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
 * `GET /api/reports`, `/api/reports/:name` and `/api/reports/:name.csv` (managers), and
 * `GET /api/forecast/occupancy`, `/api/forecast/load` (any staff: the desk's occupancy panel and the monitor show them).
 */
export function registerReportRoutes(app: FastifyInstance, deps: ReportRouteDeps): void {
  app.get('/api/reports', async (request, reply) => {
    if (!(await deps.mayReadReports(bearerToken(request.headers.authorization))))
      return sendError(reply, 403, 'FORBIDDEN', 'reports are for managers and admins');
    const query = parseOr400(reply, ReportsQuery, request.query, 'query');
    if (!query) return reply;
    if (!deps.reports) return sendError(reply, 404, 'NOT_FOUND', 'this store keeps no reports');
    try {
      return (await deps.reports.all(query)) satisfies ReportsDocument;
    } catch (error) {
      if (error instanceof UnknownClubError) return sendError(reply, 404, 'CLUB_NOT_FOUND', error.message);
      throw error;
    }
  });

  app.get<{ Params: { name: string } }>('/api/reports/:name', async (request, reply) => {
    if (!(await deps.mayReadReports(bearerToken(request.headers.authorization))))
      return sendError(reply, 403, 'FORBIDDEN', 'reports are for managers and admins');
    const asCsv = request.params.name.endsWith('.csv');
    const name = ReportName.safeParse(asCsv ? request.params.name.slice(0, -4) : request.params.name);
    if (!name.success)
      return sendError(reply, 404, 'NOT_FOUND', `no report is called ${request.params.name.slice(0, 64)}`);
    const query = parseOr400(reply, ReportsQuery, request.query, 'query');
    if (!query) return reply;
    if (!deps.reports) return sendError(reply, 404, 'NOT_FOUND', 'this store keeps no reports');
    let doc: ReportDocument;
    try {
      doc = await deps.reports.one(name.data, query);
    } catch (error) {
      if (error instanceof UnknownClubError) return sendError(reply, 404, 'CLUB_NOT_FOUND', error.message);
      throw error;
    }
    if (!asCsv) return doc;
    const file = `${doc.report}_${doc.club ?? 'chain'}_${doc.from}_${doc.to}.csv`;
    return reply
      .header('content-type', 'text/csv; charset=utf-8')
      .header('content-disposition', `attachment; filename="${file}"`)
      .send(reportCsv(doc));
  });

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
