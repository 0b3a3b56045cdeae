/**
 * Ceiling: better-sqlite3 batched inserts with the gym schema on disk (WAL, synchronous FULL
 * like the av-gym store; PEER_SYNCHRONOUS=NORMAL for the old setting),
 * 1,000 check-ins per transaction, each one visit row plus its processed message id, ULID keys.
 * Run as a bench child: answers `{type:'result', rows, elapsedMs}`. Env: DATA_DIR, DURATION_MS, PEER_SYNCHRONOUS.
 */
import { join } from 'node:path';
import { monotonicFactory } from 'ulid';
import { toParent } from '../lib/parent.js';
import { openGymDb, peerMemberIds, seedMembers } from '../lib/peer-store.js';

const ROWS_PER_TRANSACTION = 1_000;
const db = openGymDb(join(process.env.DATA_DIR ?? '.', 'ceiling.db'));
seedMembers(db, 500);
const members = peerMemberIds(500);
const newId = monotonicFactory();
const insertVisit = db.prepare(
  'INSERT INTO visits (id, member_id, desk_id, checked_in_at) VALUES (?, ?, ?, ?)',
);
const markProcessed = db.prepare(
  'INSERT INTO processed_messages (id, type, outcome, processed_at) VALUES (?, ?, ?, ?)',
);
const insertBatch = db.transaction((n: number, now: number) => {
  for (let i = 0; i < n; i++) {
    insertVisit.run(newId(), members[i % members.length], 'desk-1', now);
    markProcessed.run(newId(), 'check_in', 'ok', now);
  }
});

const durationMs = Number(process.env.DURATION_MS ?? 3_000);
insertBatch(ROWS_PER_TRANSACTION, Date.now()); // warm-up
const start = performance.now();
let rows = 0;
while (performance.now() - start < durationMs) {
  insertBatch(ROWS_PER_TRANSACTION, Date.now());
  rows += ROWS_PER_TRANSACTION;
}
const elapsedMs = performance.now() - start;
db.close();
toParent({ type: 'result', rows, elapsedMs });
setTimeout(() => process.exit(0), 20);
