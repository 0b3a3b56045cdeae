import { AuditPage, SessionInfo, SessionToken, StaffAccount, StaffList } from '@av-gym/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiError, apiJson } from './api-json.js';
import { ADMIN_PASSWORD, api, startServer, type TestServer } from './helpers.js';

const login = async (url: string, username: string, password: string) =>
  (
    await apiJson(SessionToken, url, '/api/session', {
      method: 'POST',
      token: null,
      body: { username, password },
    })
  ).body;

describe('staff admin and password change over HTTP', () => {
  let t: TestServer;
  let admin: string;

  beforeAll(async () => {
    t = await startServer();
    admin = (await login(t.url, 'admin', ADMIN_PASSWORD)).token;
  });
  afterAll(async () => {
    await t.stop();
  });

  const create = (username: string, role: string, token = admin) =>
    api(t.url, '/api/staff', {
      method: 'POST',
      token,
      body: { username, displayName: `Staff ${username}`, role, password: `${username}-first-pass` },
    });

  it('says who is signed in, with the role, at login and on GET /api/session', async () => {
    const session = await login(t.url, 'admin', ADMIN_PASSWORD);
    expect(session).toMatchObject({ username: 'admin', role: 'admin' });
    const me = await apiJson(SessionInfo, t.url, '/api/session', { token: session.token });
    expect(me.body).toEqual({ kind: 'session', username: 'admin', displayName: 'admin', role: 'admin' });
  });

  it('lets an admin create a desk account that can sign in; the list shows it without any hash', async () => {
    const created = await create('dana', 'desk');
    expect(created.status).toBe(201);
    expect(StaffAccount.parse(created.body)).toMatchObject({ username: 'dana', role: 'desk', active: true });
    expect((await login(t.url, 'dana', 'dana-first-pass')).role).toBe('desk');
    const list = await apiJson(StaffList, t.url, '/api/staff', { token: admin });
    expect(list.body.staff.map((s) => [s.username, s.role])).toContainEqual(['dana', 'desk']);
    expect(JSON.stringify(list.body)).not.toContain('scrypt');
    expect((await create('dana', 'desk')).status).toBe(409);
  });

  it('refuses staff admin to desk and manager roles with FORBIDDEN, and the audit trail to a desk role', async () => {
    await create('mia', 'manager');
    const desk = (await login(t.url, 'dana', 'dana-first-pass')).token;
    const manager = (await login(t.url, 'mia', 'mia-first-pass')).token;
    for (const token of [desk, manager]) {
      expect((await apiError(t.url, '/api/staff', { token })).body.error).toBe('FORBIDDEN');
      const refused = await apiError(t.url, '/api/staff', {
        method: 'POST',
        token,
        body: { username: 'eve', displayName: 'Eve', role: 'admin', password: 'eve-password-1' },
      });
      expect(refused).toMatchObject({ status: 403, body: { error: 'FORBIDDEN' } });
    }
    expect((await apiError(t.url, '/api/audit', { token: desk })).body.message).toContain(
      'desk role may not',
    );
    expect((await apiJson(AuditPage, t.url, '/api/audit', { token: manager })).status).toBe(200);
  });

  it('validates bodies: a short password, an unknown role, a bad username are 400', async () => {
    for (const body of [
      { username: 'ok-name', displayName: 'X', role: 'desk', password: 'short' },
      { username: 'ok-name', displayName: 'X', role: 'owner', password: 'long-enough-pass' },
      { username: 'no spaces', displayName: 'X', role: 'desk', password: 'long-enough-pass' },
    ]) {
      expect((await apiError(t.url, '/api/staff', { method: 'POST', token: admin, body })).status).toBe(400);
    }
  });

  it('never lets the last active admin be disabled or demoted, but allows it once another admin exists', async () => {
    const demote = await apiError(t.url, '/api/staff/admin', {
      method: 'PATCH',
      token: admin,
      body: { role: 'desk' },
    });
    expect(demote).toMatchObject({ status: 409, body: { error: 'LAST_ADMIN' } });
    const disable = await apiError(t.url, '/api/staff/admin', {
      method: 'PATCH',
      token: admin,
      body: { active: false },
    });
    expect(disable.body.error).toBe('LAST_ADMIN');
    await create('ada', 'admin');
    const ada = (await login(t.url, 'ada', 'ada-first-pass')).token;
    const demoted = await apiJson(StaffAccount, t.url, '/api/staff/admin', {
      method: 'PATCH',
      token: ada,
      body: { role: 'manager' },
    });
    expect(demoted.body.role).toBe('manager');
    const back = await apiJson(StaffAccount, t.url, '/api/staff/admin', {
      method: 'PATCH',
      token: ada,
      body: { role: 'admin' },
    });
    expect(back.body.role).toBe('admin');
  });

  it('disables and enables an account: a disabled one cannot sign in and its sessions end', async () => {
    await create('dex', 'desk');
    const dex = (await login(t.url, 'dex', 'dex-first-pass')).token;
    const off = await apiJson(StaffAccount, t.url, '/api/staff/dex', {
      method: 'PATCH',
      token: admin,
      body: { active: false },
    });
    expect(off.body.active).toBe(false);
    expect((await api(t.url, '/api/occupancy', { token: dex })).status).toBe(401);
    const refused = await api(t.url, '/api/session', {
      method: 'POST',
      token: null,
      body: { username: 'dex', password: 'dex-first-pass' },
    });
    expect(refused.status).toBe(401);
    await apiJson(StaffAccount, t.url, '/api/staff/dex', {
      method: 'PATCH',
      token: admin,
      body: { active: true },
    });
    expect((await login(t.url, 'dex', 'dex-first-pass')).role).toBe('desk');
    expect(
      (await apiError(t.url, '/api/staff/nobody', { method: 'PATCH', token: admin, body: { active: true } }))
        .status,
    ).toBe(404);
  });

  it('changes one’s own password: the current one is checked, other sessions end, this one stays', async () => {
    await create('pam', 'desk');
    const mine = (await login(t.url, 'pam', 'pam-first-pass')).token;
    const other = (await login(t.url, 'pam', 'pam-first-pass')).token;
    const wrong = await apiError(t.url, '/api/session/password', {
      method: 'POST',
      token: mine,
      body: { currentPassword: 'not-it-at-all', newPassword: 'pam-second-pass' },
    });
    expect(wrong).toMatchObject({ status: 403, body: { error: 'WRONG_PASSWORD' } });
    const short = await apiError(t.url, '/api/session/password', {
      method: 'POST',
      token: mine,
      body: { currentPassword: 'pam-first-pass', newPassword: 'short' },
    });
    expect(short.status).toBe(400);
    const ok = await api(t.url, '/api/session/password', {
      method: 'POST',
      token: mine,
      body: { currentPassword: 'pam-first-pass', newPassword: 'pam-second-pass' },
    });
    expect(ok.status).toBe(204);
    expect((await api(t.url, '/api/occupancy', { token: mine })).status).toBe(200);
    expect((await api(t.url, '/api/occupancy', { token: other })).status).toBe(401);
    expect((await login(t.url, 'pam', 'pam-second-pass')).username).toBe('pam');
  });

  it('slows guessing through the password change as at login: past 5 wrong current passwords it is 429', async () => {
    await create('gus', 'desk');
    const token = (await login(t.url, 'gus', 'gus-first-pass')).token;
    const change = (currentPassword: string) =>
      apiError(t.url, '/api/session/password', {
        method: 'POST',
        token,
        body: { currentPassword, newPassword: 'gus-second-pass' },
      });
    for (let i = 0; i < 5; i++)
      expect(await change(`guess-number-${i}`)).toMatchObject({
        status: 403,
        body: { error: 'WRONG_PASSWORD' },
      });
    const slowed = await change('guess-number-5');
    expect(slowed).toMatchObject({ status: 429, body: { error: 'TOO_MANY_ATTEMPTS' } });
    // even the right password waits, so a guess cannot be told apart; nothing was changed
    expect(await change('gus-first-pass')).toMatchObject({ status: 429 });
    expect((await api(t.url, '/api/occupancy', { token })).status).toBe(200);
  });

  it('lets an admin reset a password (sessions end) and records every staff change in the audit trail, never a password', async () => {
    await create('rob', 'desk');
    const rob = (await login(t.url, 'rob', 'rob-first-pass')).token;
    const reset = await api(t.url, '/api/staff/rob/password', {
      method: 'POST',
      token: admin,
      body: { password: 'rob-reset-password' },
    });
    expect(reset.status).toBe(204);
    expect((await api(t.url, '/api/occupancy', { token: rob })).status).toBe(401);
    await login(t.url, 'rob', 'rob-reset-password');
    const page = await apiJson(AuditPage, t.url, '/api/audit?limit=500', { token: admin });
    const actions = page.body.entries.map((e) => `${e.action}:${e.targetStaff}`);
    expect(actions).toEqual(
      expect.arrayContaining([
        'staff_create:rob',
        'staff_reset_password:rob',
        'staff_disable:dex',
        'staff_enable:dex',
        'staff_role_change:admin',
        'password_change:pam',
      ]),
    );
    expect(page.body.entries.find((e) => e.action === 'staff_create')?.staff).toBe('admin');
    const text = JSON.stringify(page.body);
    for (const secret of ['rob-reset-password', 'pam-second-pass', 'first-pass', 'scrypt'])
      expect(text).not.toContain(secret);
  });

  it('pages the audit trail newest first with a keyset cursor, and refuses a bad query', async () => {
    const first = await apiJson(AuditPage, t.url, '/api/audit?limit=2', { token: admin });
    expect(first.body.entries).toHaveLength(2);
    expect(first.body.nextBefore).toBe(first.body.entries[1]?.id);
    const second = await apiJson(AuditPage, t.url, `/api/audit?limit=2&before=${first.body.nextBefore}`, {
      token: admin,
    });
    expect(second.body.entries[0]!.id < first.body.entries[1]!.id).toBe(true);
    expect((await apiError(t.url, '/api/audit?limit=501', { token: admin })).status).toBe(400);
    expect((await apiError(t.url, '/api/audit?day=yesterday', { token: admin })).status).toBe(400);
    expect((await apiError(t.url, '/api/audit?before=1%20or%201=1', { token: admin })).status).toBe(400);
    const byStaff = await apiJson(AuditPage, t.url, '/api/audit?staff=ada', { token: admin });
    expect(byStaff.body.entries.every((e) => e.staff === 'ada')).toBe(true);
    expect(byStaff.body.entries.length).toBeGreaterThan(0);
  });
});
