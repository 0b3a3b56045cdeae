import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { Kysely, sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { ImmediateSqliteDialect } from './immediate-sqlite-dialect.js';

describe('ImmediateSqliteDialect', () => {
  const cleanups: (() => void | Promise<void>)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  function open(): { db: Kysely<Record<string, never>>; other: BetterSqlite3.Database } {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'av-gym-dialect-'));
    cleanups.push(() => fs.rmSync(dir, { recursive: true, force: true }));
    const file = path.join(dir, 'test.sqlite');
    const raw = new BetterSqlite3(file);
    raw.pragma('journal_mode = WAL');
    const db = new Kysely<Record<string, never>>({ dialect: new ImmediateSqliteDialect({ database: raw }) });
    cleanups.push(() => db.destroy());
    const other = new BetterSqlite3(file);
    other.pragma('busy_timeout = 0');
    cleanups.push(() => {
      other.close();
    });
    return { db, other };
  }

  it('takes the write lock when a transaction begins, before it writes', async () => {
    const { db, other } = open();
    await db.transaction().execute(async (trx) => {
      await sql`select 1`.execute(trx);
      // A deferred begin would hold no lock yet, and this second writer would get in first.
      expect(() => other.exec('begin immediate')).toThrow(/locked|busy/i);
    });
    other.exec('begin immediate');
    other.exec('rollback');
  });
});
