/**
 * Ceiling: the PostgreSQL server's own insert rate for the gym rows, one connection, 1,000
 * check-ins per transaction by multi-row INSERT (a visit row and its processed message id each,
 * ULID keys), synchronous_commit as the server has it (on). Run as a bench child: answers
 * `{type:'result', rows, elapsedMs}`. Env: PEER_DATABASE_URL (a fresh database), DURATION_MS.
 */
import pg from 'pg';
import { monotonicFactory } from 'ulid';
import { toParent } from '../lib/parent.js';
import { peerMemberIds } from '../lib/peer-store.js';
import { preparePgGym } from './pg-gym.js';

const ROWS_PER_TRANSACTION = 1_000;
const url = process.env.PEER_DATABASE_URL;
if (!url) throw new Error('pg-ceiling needs PEER_DATABASE_URL');
await preparePgGym(url, 500);
const members = peerMemberIds(500);
const newId = monotonicFactory();
const client = new pg.Client({ connectionString: url });
await client.connect();

const values = (columns: number) =>
  Array.from(
    { length: ROWS_PER_TRANSACTION },
    (_, i) => `(${Array.from({ length: columns }, (_, c) => `$${i * columns + c + 1}`).join(', ')})`,
  ).join(', ');
const visitsSql = `INSERT INTO visits (id, member_id, desk_id, checked_in_at) VALUES ${values(4)}`;
const processedSql = `INSERT INTO processed_messages (id, type, outcome, processed_at) VALUES ${values(4)}`;

async function insertBatch(now: number): Promise<void> {
  const visits: unknown[] = [];
  const processed: unknown[] = [];
  for (let i = 0; i < ROWS_PER_TRANSACTION; i++) {
    visits.push(newId(), members[i % members.length], 'desk-1', now);
    processed.push(newId(), 'check_in', 'ok', now);
  }
  await client.query('BEGIN');
  await client.query({ name: 'visits', text: visitsSql, values: visits });
  await client.query({ name: 'processed', text: processedSql, values: processed });
  await client.query('COMMIT');
}

const durationMs = Number(process.env.DURATION_MS ?? 3_000);
await insertBatch(Date.now()); // warm-up
const start = performance.now();
let rows = 0;
while (performance.now() - start < durationMs) {
  await insertBatch(Date.now());
  rows += ROWS_PER_TRANSACTION;
}
const elapsedMs = performance.now() - start;
await client.end();
toParent({ type: 'result', rows, elapsedMs });
setTimeout(() => process.exit(0), 20);
