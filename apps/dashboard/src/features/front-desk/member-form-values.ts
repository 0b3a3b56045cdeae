import type { Member, MemberChanges } from '@av-gym/protocol';

/** The edit form's fields as strings, the way inputs hold them. */
export interface MemberFormValues {
  name: string;
  phone: string;
  email: string;
  plan: Member['plan'];
  status: Member['status'];
  expiresAt: string;
  notes: string;
  /** `YYYY-MM-DD` or `''`. */
  dateOfBirth: string;
  /** What the member owes, as typed (`12.50`); `''` or `0`: nothing. */
  balanceDue: string;
  /** The day the waiver was signed, `YYYY-MM-DD`, or `''`: not signed. */
  waiverSignedAt: string;
  /** A note every check-in shows as an alert. */
  alertNote: string;
}

export const FIELD_LABELS: Record<keyof MemberFormValues, string> = {
  name: 'Name',
  phone: 'Phone',
  email: 'Email',
  plan: 'Plan',
  status: 'Status',
  expiresAt: 'Expiry date',
  notes: 'Notes',
  dateOfBirth: 'Date of birth',
  balanceDue: 'Balance due',
  waiverSignedAt: 'Waiver signed on',
  alertNote: 'Alert at check-in',
};

/** Cents from a typed amount (`12.5`, `12.50`, `''`); undefined when it is not an amount of 0 or more. */
export function centsOf(text: string): number | undefined {
  const t = text.trim();
  if (t === '') return 0;
  if (!/^\d{1,7}([.,]\d{1,2})?$/.test(t)) return undefined;
  return Math.round(Number(t.replace(',', '.')) * 100);
}

/** `1250` as `12.50`; 0 as `''` (an empty field means nothing owed). */
export function amountOf(cents: number | undefined): string {
  return cents ? (cents / 100).toFixed(2) : '';
}

/** The fields of a new member before anything is typed. */
export function emptyFormValues(expiresAt: string): MemberFormValues {
  return {
    name: '',
    phone: '',
    email: '',
    plan: 'standard',
    status: 'active',
    expiresAt,
    notes: '',
    dateOfBirth: '',
    balanceDue: '',
    waiverSignedAt: '',
    alertNote: '',
  };
}

export function formValuesOf(member: Member): MemberFormValues {
  return {
    name: member.name,
    phone: member.phone ?? '',
    email: member.email ?? '',
    plan: member.plan,
    status: member.status,
    expiresAt: member.expiresAt,
    notes: member.notes,
    dateOfBirth: member.dateOfBirth ?? '',
    balanceDue: amountOf(member.balanceDueCents),
    waiverSignedAt: member.waiverSignedAt ?? '',
    alertNote: member.alertNote ?? '',
  };
}

/** Only the fields that differ from `member`; an emptied phone or email becomes null. */
export function changesFrom(values: MemberFormValues, member: Member): Partial<MemberChanges> {
  const changes: Partial<MemberChanges> = {};
  const name = values.name.trim().replace(/\s+/g, ' ');
  if (name !== member.name) changes.name = name;
  const phone = values.phone.trim();
  const email = values.email.trim();
  if (phone !== (member.phone ?? '')) changes.phone = phone === '' ? null : phone;
  if (email !== (member.email ?? '')) changes.email = email === '' ? null : email;
  if (values.plan !== member.plan) changes.plan = values.plan;
  if (values.status !== member.status) changes.status = values.status;
  if (values.expiresAt !== member.expiresAt) changes.expiresAt = values.expiresAt;
  if (values.notes !== member.notes) changes.notes = values.notes;
  if (values.dateOfBirth !== (member.dateOfBirth ?? ''))
    changes.dateOfBirth = values.dateOfBirth === '' ? null : values.dateOfBirth;
  if (values.waiverSignedAt !== (member.waiverSignedAt ?? ''))
    changes.waiverSignedAt = values.waiverSignedAt === '' ? null : values.waiverSignedAt;
  const cents = centsOf(values.balanceDue);
  if (cents !== undefined && cents !== (member.balanceDueCents ?? 0)) changes.balanceDueCents = cents;
  const alertNote = values.alertNote.trim();
  if (alertNote !== (member.alertNote ?? '')) changes.alertNote = alertNote;
  return changes;
}

/** The fields whose newer values (someone else's save) differ from what this form holds. */
export function conflictingFields(
  values: MemberFormValues,
  newer: Member,
): { field: keyof MemberFormValues; label: string; mine: string; theirs: string }[] {
  const theirs = formValuesOf(newer);
  return (Object.keys(FIELD_LABELS) as (keyof MemberFormValues)[])
    .filter((field) => theirs[field].trim() !== values[field].trim())
    .map((field) => ({ field, label: FIELD_LABELS[field], mine: values[field], theirs: theirs[field] }));
}
