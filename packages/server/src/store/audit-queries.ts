import type { AuditPage, AuditQuery } from '@av-gym/protocol';
import type { Kysely, Transaction } from 'kysely';
import { type AuditRecord, auditFromRow, auditToRow } from './audit-records.js';
import { chunkRows } from './records.js';
import type { Database } from './schema.js';

const AUDIT_COLUMNS = 10;
const DAY_MS = 86_400_000;

/** Appends audit rows in multi-row inserts (chunked under the variable limit). */
export async function insertAudit(
  db: Kysely<Database> | Transaction<Database>,
  rows: readonly AuditRecord[],
) {
  for (const part of chunkRows(rows, AUDIT_COLUMNS)) {
    await db.insertInto('audit_log').values(part.map(auditToRow)).execute();
  }
}

/**
 * One newest-first page of the audit trail: every given filter narrows, `before` continues after
 * the previous page's last id (keyset: no offset scan however deep the page). Reads `limit + 1`
 * rows to know whether another page follows.
 */
export async function queryAudit(db: Kysely<Database>, query: AuditQuery): Promise<AuditPage> {
  let q = db.selectFrom('audit_log').selectAll();
  if (query.member !== undefined) q = q.where('member_id', '=', query.member);
  if (query.staff !== undefined) q = q.where('staff', '=', query.staff);
  if (query.desk !== undefined) q = q.where('desk_id', '=', query.desk);
  if (query.day !== undefined) {
    const start = Date.parse(`${query.day}T00:00:00Z`);
    q = q.where('at', '>=', start).where('at', '<', start + DAY_MS);
  }
  if (query.before !== undefined) q = q.where('id', '<', query.before);
  const rows = await q
    .orderBy('id', 'desc')
    .limit(query.limit + 1)
    .execute();
  const entries = rows.slice(0, query.limit).map(auditFromRow);
  const more = rows.length > query.limit;
  return { entries, nextBefore: more ? (entries[entries.length - 1]?.id ?? null) : null };
}
