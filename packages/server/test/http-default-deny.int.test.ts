import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { HealthStatus, MemberList, ReadinessReport } from '@av-gym/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { routesOf } from '../src/http/route-auth.js';
import { apiError, apiJson, checkError } from './api-json.js';
import { API_TOKEN, startServer, type TestServer } from './helpers.js';

const INDEX_HTML = '<!doctype html><title>AV-Gym</title><div id="root"></div>';

/** No token, an unknown token, another scheme. */
const REFUSED_HEADERS: Record<string, string>[] = [
  {},
  { authorization: 'Bearer wrong-token-0123456789' },
  { authorization: 'Basic YWRtaW46eA==' },
];

/** The spellings a router may read as the same route, or that a prefix check might miss. */
function variants(p: string): string[] {
  const [, first = '', ...rest] = p.split('/');
  const tail = rest.length > 0 ? `/${rest.join('/')}` : '';
  const hex = (c: string) => `%${c.charCodeAt(0).toString(16)}`;
  const encodedFirst = `/${hex(first.charAt(0))}${first.slice(1)}${tail}`;
  const encodedAll = `/${[...first].map(hex).join('')}${tail}`;
  const list = [
    p,
    encodedFirst,
    encodedAll,
    `/${first.charAt(0)}${hex(first.charAt(1) || 'x')}${first.slice(2)}${tail}`,
    `/${p}`,
    p.replace(/\/(?=[^/]*$)/, '//'),
    `${p}/`,
    `${encodedFirst}/`,
    p.toUpperCase(),
    `/${first.charAt(0).toUpperCase()}${first.slice(1)}${tail}`,
    `${p}?x=1`,
  ];
  return [...new Set(list)];
}

describe('default-deny HTTP', () => {
  let t: TestServer;
  let memberId: string;
  const dist = mkdtempSync(path.join(tmpdir(), 'av-gym-dist-'));

  beforeAll(async () => {
    mkdirSync(path.join(dist, 'assets'), { recursive: true });
    writeFileSync(path.join(dist, 'index.html'), INDEX_HTML);
    writeFileSync(path.join(dist, 'assets', 'app-abc123.js'), 'console.log("app")');
    t = await startServer({ seedDemo: true, staticDir: dist });
    const list = await apiJson(MemberList, t.url, '/api/members?limit=1');
    memberId = list.body.members[0]?.id as string;
    expect(memberId).toBeTruthy();
  });
  afterAll(async () => {
    await t.stop();
    rmSync(dist, { recursive: true, force: true });
  });

  it('lists exactly the public routes: health, readiness, metrics, login, the /ws upgrade and the dashboard', () => {
    const open = routesOf(t.server.app)
      .filter((r) => r.public)
      .map((r) => `${r.method} ${r.url}`)
      .sort();
    expect(open).toEqual(
      [
        'GET /',
        'GET /assets/app-abc123.js',
        'GET /healthz',
        'GET /index.html',
        'GET /metrics',
        'GET /readyz',
        'GET /ws',
        'HEAD /',
        'HEAD /assets/app-abc123.js',
        'HEAD /healthz',
        'HEAD /index.html',
        'HEAD /metrics',
        'HEAD /readyz',
        'HEAD /ws',
        'POST /api/session',
      ].sort(),
    );
  });

  it('answers every other route with data only for a valid token', async () => {
    const closed = routesOf(t.server.app).filter((r) => !r.public);
    expect(closed.map((r) => `${r.method} ${r.url}`)).toEqual(
      expect.arrayContaining([
        'GET /api/members',
        'GET /api/members/:id',
        'GET /api/stats',
        'DELETE /api/session',
      ]),
    );
    for (const route of closed) {
      const plain = route.url.replace(/:[^/]+/g, memberId);
      // the plain path works with a token, so the spellings below reach a real route
      const ok = await fetch(t.url + plain, {
        method: route.method,
        headers: { authorization: `Bearer ${API_TOKEN}` },
      });
      // a write that needs a body (PUT /api/desks/:deskId, a password change) answers 400 without
      // one: that too proves the token reached the route
      const reached = route.method === 'GET' || route.method === 'HEAD' ? [200, 204] : [200, 204, 400];
      expect(reached, `${route.method} ${plain} with a token`).toContain(ok.status);
      for (const spelling of variants(plain)) {
        for (const headers of REFUSED_HEADERS) {
          const res = await fetch(t.url + spelling, { method: route.method, headers });
          const body = await res.text();
          const what = `${route.method} ${spelling} ${JSON.stringify(headers)} -> ${res.status} ${body.slice(0, 80)}`;
          if (res.status === 200 || res.status === 204) {
            // only the dashboard's own page may answer, never data
            expect(route.method === 'GET' || route.method === 'HEAD', what).toBe(true);
            expect(body === INDEX_HTML || (route.method === 'HEAD' && body === ''), what).toBe(true);
            expect(res.headers.get('content-type'), what).toContain('text/html');
          } else if (route.method === 'HEAD') {
            expect([401, 404], what).toContain(res.status);
          } else {
            // an error and nothing else
            expect([401, 404], what).toContain(res.status);
            const parsed = checkError(res.status, JSON.parse(body));
            expect(Object.keys(parsed).sort(), what).toEqual(['error', 'message']);
            expect(['UNAUTHENTICATED', 'NOT_FOUND'], what).toContain(parsed.error);
          }
        }
      }
    }
  });

  it('refuses the encoded spelling of /api/members that once listed every member', async () => {
    const r = await apiError(t.url, '/%61pi/members', { token: null });
    expect(r).toMatchObject({ status: 401, body: { error: 'UNAUTHENTICATED' } });
    expect((await apiError(t.url, '/%61pi/stats', { token: null })).status).toBe(401);
    expect((await apiError(t.url, '/%61pi/visits', { token: null })).status).toBe(401);
    expect((await apiError(t.url, '/%61pi/occupancy', { token: null })).status).toBe(401);
  });

  it('answers unknown routes 404 with no data, and client-side routes with the dashboard page', async () => {
    for (const p of [
      '/api/nothing',
      '/%61pi/nothing',
      '/API/MEMBERS',
      '//api//members',
      '/assets/missing.js',
    ]) {
      const r = await apiError(t.url, p, { token: null });
      expect(r, p).toMatchObject({ status: 404, body: { error: 'NOT_FOUND' } });
    }
    const route = await fetch(`${t.url}/members/${memberId}`);
    expect(route.status).toBe(200);
    expect(await route.text()).toBe(INDEX_HTML);
  });

  it('keeps the public routes public', async () => {
    expect((await apiJson(HealthStatus, t.url, '/healthz', { token: null })).status).toBe(200);
    expect((await apiJson(ReadinessReport, t.url, '/readyz', { token: null })).status).toBe(200);
    expect((await fetch(`${t.url}/metrics`)).status).toBe(200);
    expect((await fetch(`${t.url}/`)).status).toBe(200);
    expect((await fetch(`${t.url}/ws`)).status).toBe(426);
  });
});
