import Database from 'better-sqlite3';
import { Kysely, Migrator, SqliteDialect } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { createMigrationProvider } from './migrations.js';

describe('migration 0006_staff_roles_audit', () => {
  let db: Kysely<Record<string, Record<string, unknown>>> | undefined;
  afterEach(async () => {
    await db?.destroy();
  });

  it('makes the staff that existed before it admins, so an upgraded gym keeps every power it had', async () => {
    db = new Kysely({ dialect: new SqliteDialect({ database: new Database(':memory:') }) });
    const migrator = new Migrator({
      db,
      provider: createMigrationProvider(),
      allowUnorderedMigrations: true,
    });
    expect((await migrator.migrateTo('0005_history')).error).toBeUndefined();
    await db.insertInto('staff').values({ username: 'admin', password_hash: 'h', created_at: 1 }).execute();
    await db
      .insertInto('staff')
      .values({ username: 'old.desk', password_hash: 'h', created_at: 1 })
      .execute();
    expect((await migrator.migrateToLatest()).error).toBeUndefined();
    const rows = await db
      .selectFrom('staff')
      .select(['username', 'role', 'display_name'])
      .orderBy('username')
      .execute();
    expect(rows).toEqual([
      { username: 'admin', role: 'admin', display_name: '' },
      { username: 'old.desk', role: 'admin', display_name: '' },
    ]);
    const visit = await db.selectFrom('visits').selectAll().executeTakeFirst();
    expect(visit).toBeUndefined();
    await db
      .insertInto('audit_log')
      .values({ id: 'a_1', at: 1, staff: 'admin', action: 'staff_create' })
      .execute();
    expect(await db.selectFrom('audit_log').select(['desk_id', 'member_id', 'before']).execute()).toEqual([
      { desk_id: null, member_id: null, before: null },
    ]);
  });
});
