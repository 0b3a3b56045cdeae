import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { WalCheckpointer } from './wal-checkpointer.js';

async function until(check: () => boolean, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe('WalCheckpointer', () => {
  let dir = '';
  afterEach(() => {
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('copies the WAL into the database from its worker while the writer never checkpoints', async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'av-gym-wal-'));
    const file = path.join(dir, 'wal.sqlite');
    const db = new BetterSqlite3(file);
    db.pragma('journal_mode = WAL');
    db.pragma('wal_autocheckpoint = 0');
    db.exec('create table t (id integer primary key, body text)');
    const insert = db.prepare('insert into t (body) values (?)');
    db.transaction(() => {
      for (let i = 0; i < 2_000; i++) insert.run('x'.repeat(200));
    })();
    const walBytes = fs.statSync(`${file}-wal`).size;
    expect(walBytes).toBeGreaterThan(100_000);

    const checkpointer = new WalCheckpointer({ file, intervalMs: 20, logger: pino({ level: 'silent' }) });
    await until(
      () =>
        checkpointer.lastReport.log > 0 &&
        checkpointer.lastReport.checkpointed === checkpointer.lastReport.log,
    );
    // The main file alone (copied while the writer still holds the WAL) has every row.
    const copy = path.join(dir, 'copy.sqlite');
    fs.copyFileSync(file, copy);
    const reader = new BetterSqlite3(copy, { readonly: true });
    expect(reader.prepare('select count(*) as n from t').get()).toEqual({ n: 2_000 });
    reader.close();
    await checkpointer.stop();
    db.close();
  });
});
