import {
  ForecastDocument,
  REPORT_NAMES,
  ReportDocument,
  ReportsDocument,
  SessionToken,
} from '@av-gym/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reportCsv } from '../src/reports/report-csv.js';
import { apiError, apiJson } from './api-json.js';
import { ADMIN_PASSWORD, API_TOKEN, api, startServer, type TestServer } from './helpers.js';

const today = new Date().toISOString().slice(0, 10);
const monthAgo = new Date(Date.now() - 30 * 86_400_000).toISOString().slice(0, 10);
const range = `from=${monthAgo}&to=${today}`;

describe('HTTP reports and forecasts', () => {
  let t: TestServer;

  beforeAll(async () => {
    t = await startServer({ seedDemo: true });
  });
  afterAll(async () => {
    await t.stop();
  });

  it('answers every report as one document and each alone, matching the protocol', async () => {
    const all = await apiJson(ReportsDocument, t.url, `/api/reports?${range}&tz=Europe/Berlin`);
    expect(all.body.timeZone).toBe('Europe/Berlin');
    expect(all.body.visitsPerDay.days).toHaveLength(31);
    for (const name of REPORT_NAMES) {
      const one = await apiJson(ReportDocument, t.url, `/api/reports/${name}?${range}&tz=Europe/Berlin`);
      expect(one.body.report).toBe(name);
    }
  });

  it('covers the last 30 days up to today without dates, on every report route', async () => {
    const doc = await apiJson(ReportDocument, t.url, '/api/reports/visits-per-day');
    expect(doc.body.to).toBe(today);
    expect(doc.body.from).toBe(new Date(Date.now() - 29 * 86_400_000).toISOString().slice(0, 10));
    for (const path of [
      '/api/reports',
      ...REPORT_NAMES.flatMap((n) => [`/api/reports/${n}`, `/api/reports/${n}.csv`]),
    ]) {
      const res = await fetch(t.url + path, { headers: { authorization: `Bearer ${API_TOKEN}` } });
      expect(res.status, path).toBe(200);
    }
  });

  it('downloads each report as CSV that is the JSON answer written out', async () => {
    for (const name of REPORT_NAMES) {
      const json = await apiJson(ReportDocument, t.url, `/api/reports/${name}?${range}`);
      const res = await fetch(`${t.url}/api/reports/${name}.csv?${range}`, {
        headers: { authorization: `Bearer ${API_TOKEN}` },
      });
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
      expect(res.headers.get('content-disposition')).toBe(
        `attachment; filename="${name}_chain_${monthAgo}_${today}.csv"`,
      );
      expect(await res.text()).toBe(reportCsv(json.body));
    }
  });

  it('refuses bad dates, a range over two years, unknown fields, reports and clubs', async () => {
    const cases: [string, number, string][] = [
      [`/api/reports?from=2026-02-30&to=${today}`, 400, 'BAD_REQUEST'],
      ['/api/reports?from=2020-01-01&to=2026-01-01', 400, 'BAD_REQUEST'],
      [`/api/reports?from=${today}&to=${monthAgo}`, 400, 'BAD_REQUEST'],
      [`/api/reports?${range}&tz=Mars/Olympus`, 400, 'BAD_REQUEST'],
      [`/api/reports?${range}&limit=5`, 400, 'BAD_REQUEST'],
      [`/api/reports/${'x'.repeat(80)}?${range}`, 404, 'NOT_FOUND'],
      [`/api/reports/visits-by-hour.json?${range}`, 404, 'NOT_FOUND'],
      [
        `/api/reports?from=${new Date(Date.now() + 5 * 86_400_000).toISOString().slice(0, 10)}`,
        400,
        'BAD_REQUEST',
      ],
      ['/api/reports?to=2020-01-01&from=2017-01-01', 400, 'BAD_REQUEST'],
      [`/api/reports?${range}&club=nowhere`, 404, 'CLUB_NOT_FOUND'],
      [`/api/reports/expiring.csv?${range}&club=nowhere`, 404, 'CLUB_NOT_FOUND'],
      ['/api/forecast/occupancy?club=nowhere', 404, 'CLUB_NOT_FOUND'],
    ];
    for (const [path, status, error] of cases) {
      const res = await apiError(t.url, path);
      expect({ path, status: res.status, error: res.body.error }).toEqual({ path, status, error });
    }
    expect((await apiError(t.url, `/api/reports?${range}`, { token: null })).status).toBe(401);
  });

  it('lets managers and admins read reports, refuses a desk role with FORBIDDEN, and gives every role the forecasts', async () => {
    const login = async (username: string, password: string) =>
      (
        await apiJson(SessionToken, t.url, '/api/session', {
          method: 'POST',
          token: null,
          body: { username, password },
        })
      ).body.token;
    const admin = await login('admin', ADMIN_PASSWORD);
    for (const [username, role] of [
      ['rita', 'desk'],
      ['max', 'manager'],
    ]) {
      const created = await api(t.url, '/api/staff', {
        method: 'POST',
        token: admin,
        body: { username, displayName: username, role, password: `${username}-first-pass` },
      });
      expect(created.status).toBe(201);
    }
    const desk = await login('rita', 'rita-first-pass');
    const manager = await login('max', 'max-first-pass');
    const refused = await apiError(t.url, `/api/reports?${range}`, { token: desk });
    expect(refused).toMatchObject({ status: 403, body: { error: 'FORBIDDEN' } });
    expect((await apiError(t.url, `/api/reports/expiring.csv?${range}`, { token: desk })).status).toBe(403);
    expect((await apiJson(ReportsDocument, t.url, `/api/reports?${range}`, { token: manager })).status).toBe(
      200,
    );
    expect((await apiJson(ReportsDocument, t.url, `/api/reports?${range}`, { token: admin })).status).toBe(
      200,
    );
    expect((await apiJson(ForecastDocument, t.url, '/api/forecast/occupancy', { token: desk })).status).toBe(
      200,
    );
  });

  it('forecasts occupancy for 3 hours and load for 24, with intervals around the mean', async () => {
    const occupancy = await apiJson(ForecastDocument, t.url, '/api/forecast/occupancy');
    expect(occupancy.body.points).toHaveLength(3);
    const load = await apiJson(ForecastDocument, t.url, '/api/forecast/load');
    expect(load.body.subject).toBe('messages_per_sec');
    expect(load.body.capacity).toBeNull();
    for (const p of [...occupancy.body.points, ...load.body.points]) {
      expect(p.low).toBeLessThanOrEqual(p.mean);
      expect(p.mean).toBeLessThanOrEqual(p.high);
    }
  });
});
