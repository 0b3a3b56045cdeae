import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { Kysely, Migrator, SqliteDialect } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { DATABASE_FILE } from '../src/create-server.js';
import { hashPassword } from '../src/http/password.js';
import { createMigrationProvider } from '../src/store/migrations.js';
import { ADMIN_PASSWORD, api, startServer, TestClient, type TestServer } from './helpers.js';

/** The two tables of schema 0001 this test writes. */
interface SchemaV1 {
  staff: { username: string; password_hash: string; created_at: number };
  staff_sessions: { token: string; username: string; created_at: number; expires_at: number };
}

describe('session tokens stored before hashing (migration 0002)', () => {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'av-gym-session-migration-'));
  let server: TestServer | undefined;
  const clients: TestClient[] = [];
  afterEach(async () => {
    for (const c of clients.splice(0)) await c.close();
    await server?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('are hashed in place: the session still opens, the file no longer holds the token', async () => {
    const file = path.join(dataDir, DATABASE_FILE);
    // A database as the server left it before: schema 0001, a plaintext session token.
    const db = new Kysely<SchemaV1>({ dialect: new SqliteDialect({ database: new Database(file) }) });
    const migrated = await new Migrator({ db, provider: createMigrationProvider() }).migrateTo(
      '0001_initial_schema',
    );
    expect(migrated.error).toBeUndefined();
    const token = randomBytes(32).toString('base64url');
    const now = Date.now();
    await db
      .insertInto('staff')
      .values({ username: 'admin', password_hash: await hashPassword(ADMIN_PASSWORD), created_at: now })
      .execute();
    await db
      .insertInto('staff_sessions')
      .values({ token, username: 'admin', created_at: now, expires_at: now + 3_600_000 })
      .execute();
    await db.destroy();

    server = await startServer({ dataDir });
    expect((await api(server.url, '/api/members', { token })).status).toBe(200);
    const desk = new TestClient(server.wsUrl);
    clients.push(desk);
    expect((await desk.hello({ token })).type).toBe('welcome');

    const check = new Database(file, { readonly: true });
    try {
      expect(check.prepare('select token_hash from staff_sessions').all()).toEqual([
        { token_hash: createHash('sha256').update(token).digest('hex') },
      ]);
    } finally {
      check.close();
    }
    await server.stop();
    server = undefined;
    for (const f of readdirSync(dataDir).filter((n) => n.startsWith(DATABASE_FILE))) {
      expect(readFileSync(path.join(dataDir, f)).includes(Buffer.from(token)), f).toBe(false);
    }
  });
});
