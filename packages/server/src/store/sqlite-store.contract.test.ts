import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pino } from 'pino';
import { clubContract } from '../../test/contracts/club.contract.js';
import { historyContract } from '../../test/contracts/history-store.contract.js';
import { reportContract } from '../../test/contracts/report-store.contract.js';
import { type StoreHarnessFactory, storeContract } from '../../test/contracts/store.contract.js';
import { maintenanceContract } from '../../test/contracts/store-maintenance.contract.js';
import type { KyselyStore } from './kysely-store.js';
import { createSqliteStore } from './sqlite/create-sqlite-store.js';

const sqliteHarness: StoreHarnessFactory = async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'av-gym-contract-'));
  const file = path.join(dir, 'test.sqlite');
  let store: KyselyStore | undefined;
  return {
    // better-sqlite3 is synchronous: a second handle in this process would block the one thread on
    // the first handle's lock. SQLite "nodes" are processes; in here they share one handle.
    open: async () => {
      store ??= createSqliteStore({ file, logger: pino({ level: 'silent' }) });
      return store;
    },
    cleanup: async () => fs.rmSync(dir, { recursive: true, force: true }),
  };
};

storeContract('SQLite store', sqliteHarness);
clubContract('SQLite store', sqliteHarness);
maintenanceContract('SQLite store', sqliteHarness);
historyContract('SQLite store', sqliteHarness);
reportContract('SQLite store', sqliteHarness);
