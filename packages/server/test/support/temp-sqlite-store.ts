import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pino } from 'pino';
import type { KyselyStore } from '../../src/store/kysely-store.js';
import { createSqliteStore } from '../../src/store/sqlite/create-sqlite-store.js';

/** 2026-11-26 15:00 UTC: the fixed "now" of store and consumer tests. */
export const TEST_NOW = Date.UTC(2026, 10, 26, 15, 0);

export interface TempStore {
  store: KyselyStore;
  dir: string;
  file: string;
  cleanup(): Promise<void>;
}

/** A real SQLite store in a fresh temp dir; `cleanup` closes it and removes the dir. */
export async function openTempStore(
  options: {
    seedDemo?: boolean;
    now?: number;
    nativeStatements?: boolean;
    checkpointIntervalMs?: number;
  } = {},
): Promise<TempStore> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'av-gym-core-'));
  const file = path.join(dir, 'test.sqlite');
  const store = createSqliteStore({
    file,
    logger: pino({ level: 'silent' }),
    ...(options.nativeStatements === undefined ? {} : { nativeStatements: options.nativeStatements }),
    ...(options.checkpointIntervalMs === undefined
      ? {}
      : { checkpointIntervalMs: options.checkpointIntervalMs }),
  });
  await store.init({ seedDemo: options.seedDemo ?? false, now: options.now ?? TEST_NOW });
  return {
    store,
    dir,
    file,
    async cleanup() {
      await store.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
