import fs from 'node:fs';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { DATABASE_FILE } from '../src/create-server.js';
import { memberCreate, newId, startServer, TestClient, type TestServer, until } from './helpers.js';

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

async function scrape(t: TestServer): Promise<string> {
  const res = await fetch(`${t.url}/metrics`);
  expect(res.status).toBe(200);
  return res.text();
}

/** The value of one series in a Prometheus text document, or undefined. */
function sample(text: string, series: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

describe('store retention and size figures (housekeeping on a real server)', () => {
  let t: TestServer | undefined;
  afterEach(async () => {
    await t?.stop();
    t = undefined;
  });

  it('deletes old idempotency records, expired sessions, stale desk stats and events past the history window, keeps recent ones, truncates the WAL and shows it all in /metrics', async () => {
    t = await startServer({ housekeepingIntervalMs: 200 });
    // Two events logged a day ago (past the 24 h history window), as the server left them then.
    const early = new BetterSqlite3(path.join(t.dataDir, DATABASE_FILE));
    early.pragma('busy_timeout = 5000');
    early.transaction(() => {
      const log = early.prepare('insert into event_log (seq, event, created_at) values (?, ?, ?)');
      for (const seq of [1, 2]) log.run(seq, '{"type":"event"}', Date.now() - 25 * HOUR_MS);
      early.prepare("update meta set value = 2 where key = 'event_seq'").run();
    })();
    early.close();
    const desk = new TestClient(t.wsUrl);
    await desk.hello({ clientId: 'desk-1' });
    const recent = { id: newId('in'), data: { memberId: 'm_keep' } };
    desk.send({
      type: 'batch',
      seq: 1,
      batches: { member_create: [memberCreate('m_keep')], check_in: [recent] },
    });
    await desk.next((f) => f.type === 'ack' && f.seq === 1);

    // Rows as an older server would have left them, written through a second connection to the file.
    const now = Date.now();
    const file = path.join(t.dataDir, DATABASE_FILE);
    const side = new BetterSqlite3(file);
    side.pragma('busy_timeout = 5000');
    side
      .prepare('insert into processed_messages (id, type, outcome, processed_at) values (?, ?, ?, ?)')
      .run('ancient', 'check_in', '{"status":"accepted"}', now - 8 * DAY_MS);
    side
      .prepare(
        'insert into staff_sessions (token_hash, username, created_at, expires_at) values (?, ?, ?, ?)',
      )
      .run('e'.repeat(64), 'admin', now - DAY_MS, now - HOUR_MS);
    side
      .prepare(
        'insert into staff_sessions (token_hash, username, created_at, expires_at) values (?, ?, ?, ?)',
      )
      .run('l'.repeat(64), 'admin', now, now + HOUR_MS);
    const stats = side.prepare('insert into client_stats (client_id, received_at, stats) values (?, ?, ?)');
    stats.run('desk-gone', now - 25 * HOUR_MS, '{}');
    stats.run('desk-live', now, '{}');
    // Enough writes for a WAL of a few MB.
    const pad = side.prepare(
      'insert into processed_messages (id, type, outcome, processed_at) values (?, ?, ?, ?)',
    );
    side.transaction(() => {
      for (let i = 0; i < 5_000; i++)
        pad.run(`pad-${i}`, 'client_stats', `{"status":"accepted","pad":"${'x'.repeat(300)}"}`, now);
    })();
    side.close();
    expect(fs.statSync(`${file}-wal`).size).toBeGreaterThan(1_000_000);

    let text = '';
    await until(async () => {
      text = await scrape(t!);
      return (
        sample(text, 'avgym_retention_deleted_total{table="processed_messages"}') === 1 &&
        sample(text, 'avgym_retention_deleted_total{table="staff_sessions"}') === 1 &&
        sample(text, 'avgym_retention_deleted_total{table="client_stats"}') === 1 &&
        sample(text, 'avgym_retention_deleted_total{table="event_log"}') === 2 &&
        sample(text, 'avgym_store_rows{table="processed_messages"}') === 5_002
      );
    }, 10_000);
    expect(sample(text, 'avgym_store_rows{table="staff_sessions"}')).toBe(1);
    expect(sample(text, 'avgym_store_rows{table="client_stats"}')).toBe(1);
    expect(sample(text, 'avgym_store_rows{table="members"}')).toBe(1);
    expect(sample(text, 'avgym_store_rows{table="visits"}')).toBe(1);
    // the old events went; the batch's three (member.created, check_in.created, occupancy) stay
    expect(sample(text, 'avgym_store_rows{table="event_log"}')).toBe(3);
    expect(sample(text, 'avgym_store_sqlite_pragma{pragma="synchronous"}')).toBe(2);
    expect(sample(text, 'avgym_store_file_bytes{file="database"}')).toBeGreaterThan(1_000_000);
    await until(() => fs.statSync(`${file}-wal`).size === 0, 10_000);
    expect(sample(await scrape(t), 'avgym_store_file_bytes{file="wal"}')).toBe(0);

    // The recent record is still there: its resend is a duplicate, not a second visit.
    desk.send({ type: 'batch', seq: 2, batches: { check_in: [recent] } });
    const again = await desk.next((f) => f.type === 'ack' && f.seq === 2);
    expect(again).toMatchObject({ results: { check_in: { accepted: [], duplicates: [recent.id] } } });
    await desk.close();
  });

  it('runs no pass when HOUSEKEEPING_INTERVAL_SEC is 0', async () => {
    t = await startServer({ housekeepingIntervalMs: 0 });
    await new Promise((r) => setTimeout(r, 100));
    const text = await scrape(t);
    expect(sample(text, 'avgym_housekeeping_passes_total{result="ok"}')).toBe(0);
    expect(sample(text, 'avgym_store_sqlite_pragma{pragma="synchronous"}')).toBe(2);
  });
});
