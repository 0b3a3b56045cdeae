import {
  HealthStatus,
  Member,
  MemberList,
  Occupancy,
  SessionToken,
  StatsDocument,
  VisitList,
} from '@av-gym/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiError, apiJson } from './api-json.js';
import {
  ADMIN_PASSWORD,
  api,
  memberCreate,
  newId,
  startServer,
  TestClient,
  type TestServer,
} from './helpers.js';

describe('HTTP API', () => {
  let t: TestServer;

  beforeAll(async () => {
    t = await startServer({ seedDemo: true });
  });
  afterAll(async () => {
    await t.stop();
  });

  it('answers /healthz without a token', async () => {
    expect(await apiJson(HealthStatus, t.url, '/healthz', { token: null })).toEqual({
      status: 200,
      body: { status: 'ok' },
    });
  });

  it('refuses /api routes without a token or with a wrong one, as JSON 401', async () => {
    for (const path of ['/api/members', '/api/occupancy', '/api/stats', '/api/visits', '/api/members/x']) {
      const none = await apiError(t.url, path, { token: null });
      expect(none.status).toBe(401);
      expect(none.body).toMatchObject({ error: 'UNAUTHENTICATED' });
      expect((await apiError(t.url, path, { token: 'wrong-token' })).status).toBe(401);
    }
  });

  it('logs in with the admin password, refuses a wrong one, and logs out', async () => {
    const bad = await apiError(t.url, '/api/session', {
      method: 'POST',
      token: null,
      body: { username: 'admin', password: 'nope' },
    });
    expect(bad).toMatchObject({ status: 401, body: { error: 'BAD_CREDENTIALS' } });
    const unknown = await apiError(t.url, '/api/session', {
      method: 'POST',
      token: null,
      body: { username: 'mallory', password: ADMIN_PASSWORD },
    });
    expect(unknown.status).toBe(401);
    const ok = await apiJson(SessionToken, t.url, '/api/session', {
      method: 'POST',
      token: null,
      body: { username: 'admin', password: ADMIN_PASSWORD },
    });
    expect(ok.status).toBe(200);
    expect(ok.body.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(ok.body.expiresAt - Date.now()).toBeGreaterThan(11 * 3600_000);
    expect((await apiJson(Occupancy, t.url, '/api/occupancy', { token: ok.body.token })).status).toBe(200);
    expect((await api(t.url, '/api/session', { method: 'DELETE', token: ok.body.token })).status).toBe(204);
    expect((await apiError(t.url, '/api/occupancy', { token: ok.body.token })).status).toBe(401);
  });

  it('answers 400 with a message for a malformed login body', async () => {
    const r = await apiError(t.url, '/api/session', {
      method: 'POST',
      token: null,
      body: { username: 'admin' },
    });
    expect(r.status).toBe(400);
    expect(String(r.body.message)).toContain('password');
  });

  it('serves the seeded demo members with search, status filter and limit', async () => {
    const all = await apiJson(MemberList, t.url, '/api/members?limit=500');
    expect(all.body.members.length).toBeGreaterThanOrEqual(200);
    const statuses = new Set(all.body.members.map((m) => m.status));
    expect(statuses).toEqual(new Set(['active', 'expired', 'frozen']));
    const frozen = await apiJson(MemberList, t.url, '/api/members?status=frozen&limit=5');
    expect(frozen.body.members.length).toBeGreaterThan(0);
    expect(frozen.body.members.length).toBeLessThanOrEqual(5);
    expect(frozen.body.members.every((m) => m.status === 'frozen')).toBe(true);
    const someone = all.body.members[0] as Member;
    const byName = await apiJson(MemberList, t.url, `/api/members?q=${encodeURIComponent(someone.name)}`);
    expect(byName.body.members.map((m) => m.id)).toContain(someone.id);
    expect(Object.keys(someone).sort()).toEqual(
      [
        // issue 17
        'accessRule',
        'homeClubId',
        // issue 13: what check-in alerts read
        'alertNote',
        'balanceDueCents',
        'dateOfBirth',
        'waiverSignedAt',
        'email',
        'expiresAt',
        'id',
        'lastVisitAt',
        'membershipNumber',
        'name',
        'notes',
        'phone',
        'plan',
        'status',
        'version',
      ].sort(),
    );
  });

  it('returns one member by id and a JSON 404 for an unknown id', async () => {
    const list = await apiJson(MemberList, t.url, '/api/members?limit=1');
    const id = list.body.members[0]?.id as string;
    expect((await apiJson(Member, t.url, `/api/members/${id}`)).body.id).toBe(id);
    const missing = await apiError(t.url, '/api/members/m_does_not_exist');
    expect(missing).toMatchObject({ status: 404, body: { error: 'MEMBER_NOT_FOUND' } });
  });

  it('rejects bad query parameters with 400 naming the parameter', async () => {
    for (const [path, name] of [
      ['/api/members?limit=0', 'limit'],
      ['/api/members?status=gone', 'status'],
      ['/api/visits?open=maybe', 'open'],
      ['/api/visits?since=yesterday', 'since'],
      ['/api/members?bogus=1', 'bogus'],
    ] as const) {
      const r = await apiError(t.url, path);
      expect(r.status).toBe(400);
      expect(String(r.body.message)).toContain(name);
    }
  });

  it('lists visits and occupancy after a check-in over the WebSocket', async () => {
    const c = new TestClient(t.wsUrl);
    try {
      await c.hello();
      c.send({ type: 'batch', seq: 1, batches: { member_create: [memberCreate('m_http')] } });
      await c.next((f) => f.type === 'ack' && f.seq === 1);
      const before = await apiJson(Occupancy, t.url, '/api/occupancy');
      c.send({ type: 'check_in', id: newId(), data: { memberId: 'm_http', deskId: 'desk-9' } });
      await c.next((f) => f.type === 'ack' && f.ok === true);
      const open = await apiJson(VisitList, t.url, '/api/visits?memberId=m_http&open=true');
      expect(open.body.visits).toEqual([
        expect.objectContaining({
          memberId: 'm_http',
          deskId: 'desk-9',
          checkedOutAt: null,
          checkedInAt: expect.any(Number),
        }),
      ]);
      const after = await apiJson(Occupancy, t.url, '/api/occupancy');
      expect(after.body.current).toBe(before.body.current + 1);
      expect(Object.keys(after.body).sort()).toEqual([
        'averageStayMinutes',
        'capacity',
        'current',
        'todayTotal',
      ]);
    } finally {
      await c.close();
    }
  });

  it('reports its own figures and the fleet in /api/stats', async () => {
    const c = new TestClient(t.wsUrl);
    try {
      await c.hello({ clientId: 'desk-stats' });
      const id = newId();
      c.send({
        type: 'client_stats',
        id,
        data: { quality: { score: 88, latency: 90, dropRate: 100, stability: 80 }, latencyMs: { avg: 12 } },
      });
      await c.next((f) => f.type === 'ack' && f.id === id);
      const stats = await apiJson(StatsDocument, t.url, '/api/stats');
      expect(stats.status).toBe(200);
      const s = stats.body;
      expect(s.connections.open).toBeGreaterThanOrEqual(1);
      expect(s.framesPerSecond.in.hello).toBeGreaterThan(0);
      expect(s.messagesPerSecond.client_stats).toBeGreaterThan(0);
      expect(s.batchHandling.count).toBeGreaterThan(0);
      expect(typeof s.batchHandling.p99Ms).toBe('number');
      expect(s.bytes.in).toBeGreaterThan(0);
      expect(s.bytes.out).toBeGreaterThan(0);
      expect(s.fleet).toContainEqual(
        expect.objectContaining({ clientId: 'desk-stats', connected: true, quality: 88, latencyMs: 12 }),
      );
    } finally {
      await c.close();
    }
  });
});
