import type { AccessRule, Member, MemberStatus, MessageCode, Plan } from '@av-gym/protocol';
import { DEFAULT_CLUB_ID, type MembersTable, type VisitsTable } from './schema.js';

/** A member as the write side holds it: the wire shape plus bookkeeping times. */
export interface MemberRecord extends Member {
  createdAt: number;
  updatedAt: number;
}

/** The alert fields of a member with their defaults filled in (older code may leave them out). */
export function alertFields(m: Member): {
  dateOfBirth: string | null;
  balanceDueCents: number;
  waiverSignedAt: string | null;
  alertNote: string;
} {
  return {
    dateOfBirth: m.dateOfBirth ?? null,
    balanceDueCents: m.balanceDueCents ?? 0,
    waiverSignedAt: m.waiverSignedAt ?? null,
    alertNote: m.alertNote ?? '',
  };
}

/** A visit row in camelCase. */
export interface VisitRecord {
  id: string;
  memberId: string;
  deskId: string | null;
  checkedInAt: number;
  checkedOutAt: number | null;
  /** The club of the desk that checked in (issue 17); absent: the default club. */
  clubId?: string;
  /** The staff member who checked the member in (the message's actor); absent or null: unknown. */
  staff?: string | null;
  /** Set when blocking alerts were overridden at check-in. */
  override?: { reason: string; by: string | null };
}

/** The final outcome of one message id, as kept for idempotency. */
export type StoredOutcome =
  | { status: 'accepted'; info?: Record<string, unknown> }
  | { status: 'rejected'; code: MessageCode; message: string; data?: unknown };

export interface ProcessedRecord {
  id: string;
  type: string;
  outcome: StoredOutcome;
  /** `messageFingerprint` of the message; absent on records written before fingerprints were kept. */
  fingerprint?: string;
}

/** An idempotency row as read back (old rows have no fingerprint). */
export function processedFromRow(row: {
  id: string;
  type: string;
  outcome: string;
  fingerprint: string | null;
}): ProcessedRecord {
  const record: ProcessedRecord = {
    id: row.id,
    type: row.type,
    outcome: JSON.parse(row.outcome) as StoredOutcome,
  };
  if (row.fingerprint !== null) record.fingerprint = row.fingerprint;
  return record;
}

/** Number() because PostgreSQL hands `bigint` back as a string. */
function num(value: unknown): number {
  return typeof value === 'number' ? value : Number(value);
}

function numOrNull(value: unknown): number | null {
  return value === null || value === undefined ? null : num(value);
}

export function memberFromRow(row: MembersTable): MemberRecord {
  return {
    id: row.id,
    membershipNumber: row.membership_number,
    name: row.name,
    email: row.email,
    phone: row.phone,
    plan: row.plan as Plan,
    status: row.status as MemberStatus,
    expiresAt: row.expires_at,
    notes: row.notes,
    version: num(row.version),
    lastVisitAt: numOrNull(row.last_visit_at),
    dateOfBirth: row.date_of_birth ?? null,
    balanceDueCents: num(row.balance_due_cents ?? 0),
    waiverSignedAt: row.waiver_signed_at ?? null,
    alertNote: row.alert_note ?? '',
    homeClubId: row.home_club_id ?? DEFAULT_CLUB_ID,
    accessRule: (row.access_rule ?? 'all') as AccessRule,
    createdAt: num(row.created_at),
    updatedAt: num(row.updated_at),
  };
}

export function memberToRow(m: MemberRecord): MembersTable {
  return {
    id: m.id,
    membership_number: m.membershipNumber,
    name: m.name,
    email: m.email,
    phone: m.phone,
    plan: m.plan,
    status: m.status,
    expires_at: m.expiresAt,
    notes: m.notes,
    version: m.version,
    created_at: m.createdAt,
    updated_at: m.updatedAt,
    last_visit_at: m.lastVisitAt,
    date_of_birth: m.dateOfBirth ?? null,
    balance_due_cents: m.balanceDueCents ?? 0,
    waiver_signed_at: m.waiverSignedAt ?? null,
    alert_note: m.alertNote ?? '',
    home_club_id: m.homeClubId ?? DEFAULT_CLUB_ID,
    access_rule: m.accessRule ?? 'all',
  };
}

/** The wire shape of a member (drops bookkeeping fields). */
export function toMember(m: MemberRecord): Member {
  return {
    id: m.id,
    membershipNumber: m.membershipNumber,
    name: m.name,
    email: m.email,
    phone: m.phone,
    plan: m.plan,
    status: m.status,
    expiresAt: m.expiresAt,
    notes: m.notes,
    version: m.version,
    lastVisitAt: m.lastVisitAt,
    ...alertFields(m),
    homeClubId: m.homeClubId ?? DEFAULT_CLUB_ID,
    accessRule: m.accessRule ?? 'all',
  };
}

export function visitFromRow(row: VisitsTable): VisitRecord {
  return {
    id: row.id,
    memberId: row.member_id,
    deskId: row.desk_id,
    checkedInAt: num(row.checked_in_at),
    checkedOutAt: numOrNull(row.checked_out_at),
    clubId: row.club_id ?? DEFAULT_CLUB_ID,
    ...(row.staff ? { staff: row.staff } : {}),
    ...(row.override_reason
      ? { override: { reason: row.override_reason, by: row.override_by ?? null } }
      : {}),
  };
}

export function visitToRow(v: VisitRecord): VisitsTable {
  return {
    id: v.id,
    member_id: v.memberId,
    desk_id: v.deskId,
    checked_in_at: v.checkedInAt,
    checked_out_at: v.checkedOutAt,
    override_reason: v.override?.reason ?? null,
    override_by: v.override?.by ?? null,
    club_id: v.clubId ?? DEFAULT_CLUB_ID,
    staff: v.staff ?? null,
  };
}

const DAY_MS = 86_400_000;
/** The last day asked for: a batch asks for the same day thousands of times. */
let lastDay = { start: Number.NaN, iso: '' };

/** `YYYY-MM-DD` of an instant, in UTC. */
export function isoDateUtc(epochMs: number): string {
  if (epochMs >= lastDay.start && epochMs < lastDay.start + DAY_MS) return lastDay.iso;
  const iso = new Date(epochMs).toISOString().slice(0, 10);
  lastDay = { start: Math.floor(epochMs / DAY_MS) * DAY_MS, iso };
  return iso;
}

/** UTC midnight at or before an instant: the start of "today" for occupancy figures. */
export function utcMidnight(epochMs: number): number {
  const d = new Date(epochMs);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate());
}

/** Splits rows so one statement stays well under SQLite's 32,766 and PostgreSQL's 65,535 variables. */
export function chunkRows<T>(rows: readonly T[], columns: number, maxVariables = 8_000): T[][] {
  const size = Math.max(1, Math.floor(maxVariables / Math.max(1, columns)));
  const out: T[][] = [];
  for (let i = 0; i < rows.length; i += size) out.push(rows.slice(i, i + size));
  return out;
}
