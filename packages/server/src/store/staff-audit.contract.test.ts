import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pino } from 'pino';
import { describe, it } from 'vitest';
import { staffAuditContract } from '../../test/contracts/staff-audit.contract.js';
import { createTempDatabase } from '../../test/support/temp-postgres-database.js';
import { createPostgresStore } from './postgres/create-postgres-store.js';
import { createSqliteStore } from './sqlite/create-sqlite-store.js';

// The contract runs here on both stores (its own file, beside the main contract files).
staffAuditContract('SQLite store', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'av-gym-staff-audit-'));
  return {
    open: async () =>
      createSqliteStore({ file: path.join(dir, 'test.sqlite'), logger: pino({ level: 'silent' }) }),
    cleanup: async () => fs.rmSync(dir, { recursive: true, force: true }),
  };
});

const adminUrl = process.env.DATABASE_URL;
if (adminUrl) {
  staffAuditContract('PostgreSQL store', async () => {
    const db = await createTempDatabase(adminUrl);
    return {
      open: async () =>
        createPostgresStore({ connectionString: db.url, logger: pino({ level: 'silent' }), poolSize: 4 }),
      cleanup: () => db.drop(),
    };
  });
} else {
  describe('PostgreSQL store (staff and audit contract)', () => {
    it.skip('needs DATABASE_URL (e.g. postgres://postgres@127.0.0.1:5432/postgres): skipped', () => {});
  });
}
