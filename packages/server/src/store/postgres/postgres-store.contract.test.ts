import { pino } from 'pino';
import { describe, it } from 'vitest';
import { clubContract } from '../../../test/contracts/club.contract.js';
import { historyContract } from '../../../test/contracts/history-store.contract.js';
import { reportContract } from '../../../test/contracts/report-store.contract.js';
import { type StoreHarnessFactory, storeContract } from '../../../test/contracts/store.contract.js';
import { maintenanceContract } from '../../../test/contracts/store-maintenance.contract.js';
import { createTempDatabase } from '../../../test/support/temp-postgres-database.js';
import { createPostgresStore } from './create-postgres-store.js';

const adminUrl = process.env.DATABASE_URL;

if (adminUrl) {
  const postgresHarness: StoreHarnessFactory = async () => {
    const db = await createTempDatabase(adminUrl);
    return {
      open: async () =>
        createPostgresStore({ connectionString: db.url, logger: pino({ level: 'silent' }), poolSize: 4 }),
      cleanup: () => db.drop(),
    };
  };
  storeContract('PostgreSQL store', postgresHarness);
  clubContract('PostgreSQL store', postgresHarness);
  maintenanceContract('PostgreSQL store', postgresHarness);
  historyContract('PostgreSQL store', postgresHarness);
  reportContract('PostgreSQL store', postgresHarness);
} else {
  describe('PostgreSQL store (store contract)', () => {
    it.skip('needs DATABASE_URL (e.g. postgres://postgres@127.0.0.1:5432/postgres): skipped', () => {});
  });
}
