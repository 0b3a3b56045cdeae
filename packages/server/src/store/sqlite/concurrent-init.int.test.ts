import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { DEMO_MEMBER_COUNT, DEMO_OPEN_VISITS } from '../demo-seed.js';
import { createSqliteStore } from './create-sqlite-store.js';

const run = promisify(execFile);
const factory = fileURLToPath(new URL('./create-sqlite-store.ts', import.meta.url));

/** A separate Node process that opens the store and runs init with the demo seed. */
function initInChild(file: string) {
  const script = `
    import { pino } from 'pino';
    import { createSqliteStore } from ${JSON.stringify(factory)};
    const store = createSqliteStore({ file: ${JSON.stringify(file)}, logger: pino({ level: 'silent' }) });
    await store.init({ seedDemo: true, now: ${Date.UTC(2026, 10, 26, 15)} });
    await store.close();
  `;
  return run(
    process.execPath,
    ['--conditions=av-gym-source', '--import', 'tsx', '--input-type=module', '-e', script],
    { cwd: path.dirname(factory), timeout: 30_000 },
  );
}

describe('SQLite store started by two processes at once', () => {
  let dir = '';
  afterEach(() => {
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('migrates and seeds the demo gym exactly once', async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'av-gym-init-'));
    const file = path.join(dir, 'shared.sqlite');
    await Promise.all([initInChild(file), initInChild(file)]);
    const store = createSqliteStore({ file, logger: pino({ level: 'silent' }) });
    await store.init({ seedDemo: true });
    expect(await store.searchMembers({ limit: 1000 })).toHaveLength(DEMO_MEMBER_COUNT);
    expect(await store.listVisits({ open: true, limit: 100 })).toHaveLength(DEMO_OPEN_VISITS);
    await store.close();
  });
});
