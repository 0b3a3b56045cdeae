import { StatsDocument } from '@av-gym/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { routesOf } from '../src/http/route-auth.js';
import { apiError, apiJson, checkError } from './api-json.js';
import { API_TOKEN, newId, startServer, TestClient, type TestServer, until } from './helpers.js';

/** A desk that says hello and reports its figures once. */
async function reportingDesk(
  t: TestServer,
  clientId: string,
  data: Record<string, unknown>,
): Promise<TestClient> {
  const c = new TestClient(t.wsUrl);
  await c.hello({ clientId });
  const id = newId();
  c.send({ type: 'client_stats', id, data });
  await c.next((f) => f.type === 'ack' && f.id === id);
  return c;
}

describe('/api/stats fleet', () => {
  let t: TestServer;
  const open: TestClient[] = [];
  const ids = Array.from({ length: 12 }, (_, i) => `desk-${String(i).padStart(2, '0')}`);

  beforeAll(async () => {
    t = await startServer({ statsEntryMaxBytes: 200 });
    for (const [i, clientId] of ids.entries()) {
      const data = {
        quality: { score: 50 + i, latency: 90, dropRate: 100, stability: 80 },
        latencyMs: { avg: i },
        ...(clientId === 'desk-03' ? { userAgent: 'x'.repeat(300) } : {}),
      };
      const c = await reportingDesk(t, clientId, data);
      // desks 00-03 stay connected, the rest leave
      if (i < 4) open.push(c);
      else await c.close();
      await new Promise((r) => setTimeout(r, 3)); // distinct receivedAt
    }
    await until(async () => (await apiJson(StatsDocument, t.url, '/api/stats')).body.connections.open === 4);
  });
  afterAll(async () => {
    for (const c of open) await c.close();
    await t.stop();
  });

  it('lists a page of desks, connected first then most recent, with the total', async () => {
    const page = await apiJson(StatsDocument, t.url, '/api/stats?limit=5');
    expect(page.status).toBe(200);
    expect(page.body.fleetPage).toEqual({ total: 12, offset: 0, limit: 5 });
    expect(page.body.fleet.map((d) => d.clientId)).toEqual([
      'desk-03',
      'desk-02',
      'desk-01',
      'desk-00',
      'desk-11',
    ]);
    expect(page.body.fleet.map((d) => d.connected)).toEqual([true, true, true, true, false]);
    // the rest of the document the dashboard reads is still there
    expect(page.body.connections.open).toBe(4);
    expect(page.body).toHaveProperty('batchHandling.p99Ms');
  });

  it('answers a document that parses as StatsDocument with the whole fleet in it', async () => {
    const raw = await fetch(`${t.url}/api/stats?limit=500`, {
      headers: { authorization: `Bearer ${API_TOKEN}` },
    });
    const parsed = StatsDocument.safeParse(await raw.json());
    expect(parsed.success, parsed.error?.message).toBe(true);
    expect(parsed.data?.fleet).toHaveLength(12);
    expect(parsed.data?.fleet.filter((d) => d.statsOmitted).map((d) => d.clientId)).toEqual(['desk-03']);
  });

  it('pages through every desk once with offset', async () => {
    const seen: string[] = [];
    for (let offset = 0; offset < 12; offset += 5) {
      const page = await apiJson(StatsDocument, t.url, `/api/stats?limit=5&offset=${offset}`);
      expect(page.body.fleetPage.offset).toBe(offset);
      seen.push(...page.body.fleet.map((d) => d.clientId));
    }
    expect(seen).toHaveLength(12);
    expect([...seen].sort()).toEqual(ids);
    expect((await apiJson(StatsDocument, t.url, '/api/stats?offset=100')).body.fleet).toEqual([]);
  });

  it('lists 50 desks by default and refuses a page past 500', async () => {
    expect((await apiJson(StatsDocument, t.url, '/api/stats')).body.fleetPage).toEqual({
      total: 12,
      offset: 0,
      limit: 50,
    });
    for (const query of ['limit=501', 'limit=0', 'offset=-1', 'limit=ten', 'cursor=1']) {
      const r = await apiError(t.url, `/api/stats?${query}`);
      expect(r.status, query).toBe(400);
      expect(r.body, query).toMatchObject({ error: 'BAD_REQUEST' });
    }
  });

  it('leaves out a desk’s stats over the per-desk cap and says so, keeping its quality and latency', async () => {
    const { body } = await apiJson(StatsDocument, t.url, '/api/stats');
    const big = body.fleet.find((d) => d.clientId === 'desk-03');
    expect(big).toMatchObject({ stats: {}, statsOmitted: true, quality: 53, latencyMs: 3, connected: true });
    const small = body.fleet.find((d) => d.clientId === 'desk-04');
    expect(small).toMatchObject({ statsOmitted: false, quality: 54, stats: { latencyMs: { avg: 4 } } });
    expect(JSON.stringify(body.fleet).length).toBeLessThan(12 * 500);
  });
});

describe('METRICS_TOKEN', () => {
  const METRICS_TOKEN = 'metrics-token-0123456789';
  let guarded: TestServer;
  let open: TestServer;

  beforeAll(async () => {
    guarded = await startServer({ metricsToken: METRICS_TOKEN });
    open = await startServer();
  });
  afterAll(async () => {
    await guarded.stop();
    await open.stop();
  });

  const scrape = (url: string, token?: string) =>
    fetch(`${url}/metrics`, token ? { headers: { authorization: `Bearer ${token}` } } : {});

  it('makes /metrics need exactly that bearer token when set', async () => {
    for (const token of [undefined, API_TOKEN, `${METRICS_TOKEN}x`, METRICS_TOKEN.slice(0, -1)]) {
      const res = await scrape(guarded.url, token);
      expect(res.status, String(token)).toBe(401);
      expect(checkError(res.status, await res.json())).toMatchObject({ error: 'UNAUTHENTICATED' });
    }
    const ok = await scrape(guarded.url, METRICS_TOKEN);
    expect(ok.status).toBe(200);
    expect(await ok.text()).toContain('avgym_http_refused_total{code="UNAUTHENTICATED"} 4');
    expect(routesOf(guarded.server.app).find((r) => r.url === '/metrics')?.public).toBe(false);
  });

  it('opens nothing else to the metrics token', async () => {
    expect((await apiError(guarded.url, '/api/stats', { token: METRICS_TOKEN })).status).toBe(401);
    expect((await apiError(guarded.url, '/api/members', { token: METRICS_TOKEN })).status).toBe(401);
  });

  it('leaves /metrics open when it is unset', async () => {
    expect((await scrape(open.url)).status).toBe(200);
  });
});
