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
}

export const FIELD_LABELS: Record<keyof MemberFormValues, string> = {
  name: 'Name',
  phone: 'Phone',
  email: 'Email',
  plan: 'Plan',
  status: 'Status',
  expiresAt: 'Expiry date',
  notes: 'Notes',
};

export function formValuesOf(member: Member): MemberFormValues {
  return {
    name: member.name,
    phone: member.phone ?? '',
    email: member.email ?? '',
    plan: member.plan,
    status: member.status,
    expiresAt: member.expiresAt,
    notes: member.notes,
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
