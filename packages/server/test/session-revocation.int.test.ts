import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { CLOSE_CODES } from '@av-gym/protocol';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { DATABASE_FILE } from '../src/create-server.js';
import type { ServerConfig } from '../src/index.js';
import {
  ADMIN_PASSWORD,
  API_TOKEN,
  api,
  memberCreate,
  newId,
  startServer,
  TestClient,
  type TestServer,
} from './helpers.js';

const SECOND_TOKEN = 'second-api-token-0123456789';

/** POST /api/session as admin; the session token and its expiry. */
async function login(url: string): Promise<{ token: string; expiresAt: number }> {
  const res = await api<{ token: string; expiresAt: number }>(url, '/api/session', {
    method: 'POST',
    body: { username: 'admin', password: ADMIN_PASSWORD },
    token: null,
  });
  expect(res.status).toBe(200);
  return res.body;
}

/** Milliseconds from `since` until the socket closed, and how it closed. */
async function closedAfter(client: TestClient, since: number) {
  const { code, reason } = await client.closed;
  return { code, reason, ms: Date.now() - since };
}

describe('session lifecycle: revoked credentials lose their sockets (one node)', () => {
  let server: TestServer | undefined;
  const clients: TestClient[] = [];
  const start = async (overrides: Partial<ServerConfig> = {}) => {
    server = await startServer({ apiTokens: [API_TOKEN, SECOND_TOKEN], ...overrides });
    return server;
  };
  const desk = async (token: string, clientId = newId('desk')) => {
    const client = new TestClient((server as TestServer).wsUrl);
    clients.push(client);
    const welcome = await client.hello({ token, clientId });
    expect(welcome.type).toBe('welcome');
    return client;
  };
  afterEach(async () => {
    for (const c of clients.splice(0)) await c.close();
    await server?.stop();
    server = undefined;
  });

  it('closes a session socket with 4401 within 1 s of logout and applies nothing it sends after', async () => {
    const { url } = await start();
    const memberId = 'm_logout';
    const setup = await desk(API_TOKEN);
    setup.send({
      type: 'batch',
      seq: 1,
      batches: { member_create: [memberCreate(memberId, { name: 'Before' })] },
    });
    await setup.next((f) => f.type === 'ack');

    const { token } = await login(url);
    const staff = await desk(token);
    const res = await fetch(`${url}/api/session`, {
      method: 'DELETE',
      headers: { authorization: `Bearer ${token}` },
    });
    expect(res.status).toBe(204);
    const loggedOutAt = Date.now();
    const updateId = newId('mu');
    staff.send({
      type: 'batch',
      seq: 1,
      batches: { member_update: [{ id: updateId, data: { memberId, changes: { name: 'After logout' } } }] },
    });
    const closed = await closedAfter(staff, loggedOutAt);
    expect(closed.code).toBe(CLOSE_CODES.UNAUTHENTICATED);
    expect(closed.ms).toBeLessThan(1_000);
    const accepted = staff.frames.flatMap((f) =>
      f.type === 'ack'
        ? ((f as { results?: Record<string, { accepted?: string[] }> }).results?.member_update?.accepted ??
          [])
        : [],
    );
    expect(accepted).not.toContain(updateId);
    // Nothing was applied: the member keeps its name, and the token opens nothing any more.
    expect((await api<{ name: string }>(url, `/api/members/${memberId}`)).body.name).toBe('Before');
    expect((await api(url, '/api/members', { token })).status).toBe(401);
    const again = new TestClient((server as TestServer).wsUrl);
    clients.push(again);
    await again.opened;
    again.send({ type: 'hello', token, clientId: 'again' });
    expect((await again.closed).code).toBe(CLOSE_CODES.UNAUTHENTICATED);
    // The API-token desk on the same node is untouched.
    setup.send({ type: 'ping', ts: 1 });
    await setup.next((f) => f.type === 'pong');
  });

  it('closes a session socket with 4401 when the session expires', async () => {
    const { url } = await start({ sessionTtlMs: 1_500 });
    const { token, expiresAt } = await login(url);
    const staff = await desk(token);
    const { code } = await staff.closed;
    const lateMs = Date.now() - expiresAt;
    expect(code).toBe(CLOSE_CODES.UNAUTHENTICATED);
    expect(lateMs).toBeGreaterThanOrEqual(-50);
    expect(lateMs).toBeLessThan(1_000);
  });

  it('closes every socket of a disabled staff account and refuses its logins', async () => {
    const { url } = await start();
    const [a, b] = [await login(url), await login(url)];
    const sockets = [await desk(a.token), await desk(a.token), await desk(b.token)];
    const other = await desk(API_TOKEN);
    const disabledAt = Date.now();
    expect(await (server as TestServer).server.auth.disableStaff('admin')).toBe(true);
    for (const s of sockets) {
      const closed = await closedAfter(s, disabledAt);
      expect(closed.code).toBe(CLOSE_CODES.UNAUTHENTICATED);
      expect(closed.ms).toBeLessThan(1_000);
    }
    const refused = await api(url, '/api/session', {
      method: 'POST',
      body: { username: 'admin', password: ADMIN_PASSWORD },
      token: null,
    });
    expect(refused.status).toBe(401);
    expect(await (server as TestServer).server.auth.disableStaff('nobody')).toBe(false);
    other.send({ type: 'ping', ts: 1 });
    await other.next((f) => f.type === 'pong');
  });

  it('closes the sockets of an API token that setApiTokens no longer lists, and only those', async () => {
    const { url } = await start();
    const revoked = [await desk(SECOND_TOKEN), await desk(SECOND_TOKEN)];
    const kept = await desk(API_TOKEN);
    const changedAt = Date.now();
    expect((server as TestServer).server.auth.setApiTokens([API_TOKEN])).toEqual({ added: 0, removed: 1 });
    for (const s of revoked) {
      const closed = await closedAfter(s, changedAt);
      expect(closed.code).toBe(CLOSE_CODES.UNAUTHENTICATED);
      expect(closed.ms).toBeLessThan(1_000);
    }
    expect((await api(url, '/api/members', { token: SECOND_TOKEN })).status).toBe(401);
    kept.send({ type: 'ping', ts: 1 });
    await kept.next((f) => f.type === 'pong');
    expect((await api(url, '/api/members')).status).toBe(200);
  });

  it('keeps only the SHA-256 of a session token in the database', async () => {
    const { url, dataDir } = await start();
    const { token } = await login(url);
    await desk(token);
    const db = new Database(path.join(dataDir, DATABASE_FILE), { readonly: true });
    try {
      const rows = db.prepare('select * from staff_sessions').all() as Record<string, unknown>[];
      expect(rows).toHaveLength(1);
      expect(rows[0]?.token_hash).toBe(createHash('sha256').update(token).digest('hex'));
      expect(JSON.stringify(rows)).not.toContain(token);
    } finally {
      db.close();
    }
    // Not in any page of the database file or its WAL either.
    for (const file of readdirSync(dataDir).filter((f) => f.startsWith(DATABASE_FILE))) {
      expect(readFileSync(path.join(dataDir, file)).includes(Buffer.from(token)), file).toBe(false);
    }
  });
});
