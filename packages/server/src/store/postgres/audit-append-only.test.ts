import pg from 'pg';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import {
  createTempDatabase,
  type TempPostgresDatabase,
} from '../../../test/support/temp-postgres-database.js';
import { auditRecord } from '../audit-records.js';
import { createPostgresStore, type PostgresStore } from './create-postgres-store.js';

const adminUrl = process.env.DATABASE_URL;

describe.runIf(adminUrl)('PostgreSQL audit_log', () => {
  let db: TempPostgresDatabase | undefined;
  let store: PostgresStore | undefined;
  afterEach(async () => {
    await store?.close();
    await db?.drop();
  });

  it('refuses UPDATE and DELETE in the database itself (trigger), so no code path can rewrite the trail', async () => {
    db = await createTempDatabase(adminUrl!);
    store = createPostgresStore({ connectionString: db.url, logger: pino({ level: 'silent' }), poolSize: 2 });
    await store.init({ seedDemo: false });
    const row = auditRecord({ staff: 'mo', deskId: 'desk-1' }, Date.now(), {
      action: 'check_in',
      memberId: 'm_1',
    });
    await store.transaction((tx) => tx.recordAudit([row]));
    const client = new pg.Client({ connectionString: db.url });
    await client.connect();
    try {
      await expect(client.query("update audit_log set staff = 'eve'")).rejects.toThrow(/append-only/);
      await expect(client.query('delete from audit_log')).rejects.toThrow(/append-only/);
      await client.query("insert into audit_log (id, at, staff, action) values ('a_x', 1, 'x', 'check_in')");
    } finally {
      await client.end();
    }
    expect((await store.queryAudit({ limit: 10 })).entries.map((e) => e.staff).sort()).toEqual(['mo', 'x']);
  });
});
