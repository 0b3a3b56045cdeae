import type { Member } from '@av-gym/protocol';
import { describe, expect, it } from 'vitest';
import { centsOf, changesFrom, conflictingFields, formValuesOf } from './member-form-values.js';

const member: Member = {
  id: 'm1',
  membershipNumber: 'GYM-0001',
  name: 'Ada Park',
  email: 'ada@example.com',
  phone: null,
  plan: 'basic',
  status: 'active',
  expiresAt: '2027-01-31',
  notes: '',
  version: 3,
  lastVisitAt: null,
};

describe('changesFrom', () => {
  it('is empty when nothing changed', () => {
    expect(changesFrom(formValuesOf(member), member)).toEqual({});
  });

  it('names only the changed fields', () => {
    const values = { ...formValuesOf(member), plan: 'premium' as const, phone: ' 555 0101 ' };
    expect(changesFrom(values, member)).toEqual({ plan: 'premium', phone: '555 0101' });
  });

  it('takes a new name, trimmed and with single spaces', () => {
    expect(changesFrom({ ...formValuesOf(member), name: '  Ada  Park-Lee ' }, member)).toEqual({
      name: 'Ada Park-Lee',
    });
  });

  it('turns an emptied email into null', () => {
    expect(changesFrom({ ...formValuesOf(member), email: '' }, member)).toEqual({ email: null });
  });
});

describe('conflictingFields', () => {
  it('lists where the newer member differs from the form', () => {
    const newer = { ...member, version: 4, plan: 'student' as const, notes: 'Knee injury' };
    const values = { ...formValuesOf(member), phone: '555' };
    expect(conflictingFields(values, newer).map((c) => [c.field, c.theirs])).toEqual([
      ['phone', ''],
      ['plan', 'student'],
      ['notes', 'Knee injury'],
    ]);
  });
});

describe('alert fields', () => {
  it('reads amounts as cents and refuses what is not one', () => {
    expect(centsOf('')).toBe(0);
    expect(centsOf('12.5')).toBe(1250);
    expect(centsOf('12,50')).toBe(1250);
    expect(centsOf('7')).toBe(700);
    expect(centsOf('-1')).toBeUndefined();
    expect(centsOf('1.234')).toBeUndefined();
    expect(centsOf('ten')).toBeUndefined();
  });

  it('sends date of birth, waiver, balance and alert note only when changed, emptied dates as null', () => {
    const withFields: Member = {
      ...member,
      dateOfBirth: '1990-04-02',
      balanceDueCents: 1250,
      waiverSignedAt: '2026-01-10',
      alertNote: 'locker key',
    };
    const values = formValuesOf(withFields);
    expect(values).toMatchObject({ balanceDue: '12.50', dateOfBirth: '1990-04-02', alertNote: 'locker key' });
    expect(changesFrom(values, withFields)).toEqual({});
    expect(
      changesFrom(
        { ...values, dateOfBirth: '', waiverSignedAt: '', balanceDue: '0', alertNote: ' ' },
        withFields,
      ),
    ).toEqual({ dateOfBirth: null, waiverSignedAt: null, balanceDueCents: 0, alertNote: '' });
    // a member from an older server has none of the fields: empty values change nothing
    expect(changesFrom(formValuesOf(member), member)).toEqual({});
  });
});
