import { describe, expect, it } from 'vitest';
import { validateMessage } from '../decode.js';
import { DeskId, EpochMs, IsoDate, MemberId, MessageId } from './common.js';

const ok = (schema: { safeParse(v: unknown): { success: boolean } }, value: unknown) =>
  schema.safeParse(value).success;

describe('message field bounds', () => {
  it('EpochMs: a whole number from 0 to before 2200-01-01', () => {
    expect(ok(EpochMs, 0)).toBe(true);
    expect(ok(EpochMs, Date.UTC(2199, 11, 31))).toBe(true);
    for (const bad of [9e15, Date.UTC(2200, 0, 1), -1, 1.5, Number.NaN, Number.POSITIVE_INFINITY, '1'])
      expect(ok(EpochMs, bad)).toBe(false);
  });

  it('IsoDate: a real calendar date in 1900-2200', () => {
    for (const good of ['2027-01-31', '2028-02-29', '1900-01-01', '2200-12-31'])
      expect(ok(IsoDate, good)).toBe(true);
    for (const bad of [
      '2027-02-29',
      '2027-13-01',
      '2027-04-31',
      '2027-00-10',
      '2027-01-00',
      '1899-12-31',
      '2201-01-01',
      '99999-99-99',
      '31/01/2027',
    ])
      expect(ok(IsoDate, bad)).toBe(false);
  });

  it('ids and desk names: 1-64 characters without control characters', () => {
    for (const schema of [MessageId, MemberId, DeskId]) {
      expect(ok(schema, 'm_01JD3X')).toBe(true);
      expect(ok(schema, 'x'.repeat(64))).toBe(true);
      for (const bad of ['', 'x'.repeat(65), 'a\u0000b', 'line\nbreak', 'del\u007f'])
        expect(ok(schema, bad)).toBe(false);
    }
  });

  it('member text: names and phones on one line, notes may break lines, nothing holds NUL', () => {
    const base = { name: 'Ada Lovelace', plan: 'premium', expiresAt: '2027-01-31' };
    expect(validateMessage('member_create', { ...base, notes: 'line one\nline two\tand a tab' }).ok).toBe(
      true,
    );
    expect(validateMessage('member_create', { ...base, notes: 'nul \u0000' }).ok).toBe(false);
    expect(validateMessage('member_create', { ...base, notes: 'x'.repeat(2001) }).ok).toBe(false);
    expect(validateMessage('member_create', { ...base, name: 'Ada\u0000' })).toMatchObject({
      ok: false,
      message: 'name: must not contain control characters',
    });
    expect(validateMessage('member_create', { ...base, phone: '555\n0101' }).ok).toBe(false);
    expect(validateMessage('member_create', { ...base, expiresAt: '2027-02-30' })).toMatchObject({
      ok: false,
      code: 'VALIDATION_FAILED',
      message: 'expiresAt: expected a real date in 1900-2200',
    });
  });

  it('member_update: a real expiry date and a baseVersion below 2^31', () => {
    const update = (changes: unknown, baseVersion?: number) =>
      validateMessage('member_update', { memberId: 'm_1', changes, ...(baseVersion ? { baseVersion } : {}) });
    expect(update({ expiresAt: '2030-06-30' }, 2 ** 31 - 1).ok).toBe(true);
    expect(update({ expiresAt: '99999-99-99' }).ok).toBe(false);
    expect(update({ notes: 'x' }, 2 ** 31).ok).toBe(false);
    expect(update({ notes: 'x' }, 1e300).ok).toBe(false);
  });

  it('check_in and check_out: `at` in range, desk names bounded', () => {
    for (const type of ['check_in', 'check_out']) {
      expect(validateMessage(type, { memberId: 'm_1', at: 9e15 })).toEqual({
        ok: false,
        code: 'VALIDATION_FAILED',
        message: 'at: expected ms since the epoch before 2200-01-01',
      });
      expect(validateMessage(type, { memberId: 'm_1', at: -1 }).ok).toBe(false);
      expect(validateMessage(type, { memberId: 'm_1', deskId: 'y'.repeat(5_000) }).ok).toBe(false);
    }
  });
});
