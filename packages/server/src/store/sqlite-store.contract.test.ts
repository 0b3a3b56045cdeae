import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pino } from 'pino';
import { createSqliteStore } from './sqlite/create-sqlite-store.js';
import { storeContract } from './store.contract.js';

storeContract('SQLite store', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'av-gym-contract-'));
  const file = path.join(dir, 'test.sqlite');
  return {
    open: async () => createSqliteStore({ file, logger: pino({ level: 'silent' }) }),
    cleanup: async () => fs.rmSync(dir, { recursive: true, force: true }),
  };
});
