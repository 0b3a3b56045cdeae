import type { AuditEntry } from '@av-gym/protocol';
import { monotonicFactory } from 'ulid';
import type { AuditLogTable } from './schema.js';

/** One audit row as the write side hands it over (see `AuditEntry` on the wire). */
export type AuditRecord = AuditEntry;

/** What a caller says about a change; the id and time are filled in by {@link auditRecord}. */
export interface AuditInput {
  action: string;
  memberId?: string | null;
  targetStaff?: string | null;
  before?: Record<string, unknown> | null;
  after?: Record<string, unknown> | null;
  reason?: string | null;
}

/** Who did it: the staff member and the desk (device) their message or request came from. */
export interface AuditWho {
  staff: string;
  deskId: string | null;
}

const nextUlid = monotonicFactory();

/** A fresh time-ordered audit id `a_<ULID>` (monotonic within this process). */
export function newAuditId(at: number): string {
  return `a_${nextUlid(at)}`;
}

export function auditRecord(who: AuditWho, at: number, input: AuditInput): AuditRecord {
  return {
    id: newAuditId(at),
    at,
    staff: who.staff,
    deskId: who.deskId,
    action: input.action,
    memberId: input.memberId ?? null,
    targetStaff: input.targetStaff ?? null,
    before: input.before ?? null,
    after: input.after ?? null,
    reason: input.reason ?? null,
  };
}

/** The fields of `after` that differ from `before`, as two small objects (for member edits). */
export function changedFields<T extends object>(
  before: T,
  after: T,
): { before: Record<string, unknown>; after: Record<string, unknown> } {
  const b: Record<string, unknown> = {};
  const a: Record<string, unknown> = {};
  const from = before as Record<string, unknown>;
  const to = after as Record<string, unknown>;
  for (const key of Object.keys(to)) {
    if (key === 'version' || key === 'updatedAt' || key === 'lastVisitAt' || key === 'createdAt') continue;
    if (JSON.stringify(from[key]) !== JSON.stringify(to[key])) {
      b[key] = from[key] ?? null;
      a[key] = to[key] ?? null;
    }
  }
  return { before: b, after: a };
}

export function auditToRow(r: AuditRecord): AuditLogTable {
  return {
    id: r.id,
    at: r.at,
    staff: r.staff,
    desk_id: r.deskId,
    action: r.action,
    member_id: r.memberId,
    target_staff: r.targetStaff,
    before: r.before === null ? null : JSON.stringify(r.before),
    after: r.after === null ? null : JSON.stringify(r.after),
    reason: r.reason,
  };
}

export function auditFromRow(row: AuditLogTable): AuditRecord {
  return {
    id: row.id,
    at: Number(row.at),
    staff: row.staff,
    deskId: row.desk_id,
    action: row.action,
    memberId: row.member_id,
    targetStaff: row.target_staff,
    before: row.before === null ? null : (JSON.parse(row.before) as Record<string, unknown>),
    after: row.after === null ? null : (JSON.parse(row.after) as Record<string, unknown>),
    reason: row.reason,
  };
}
