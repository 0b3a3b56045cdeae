import { describe, expect, it } from 'vitest';
import { daysUntil, expiryNotice, formatDate, rejectionText, statusBadge } from './membership.js';

const noon = (iso: string) => new Date(`${iso}T12:00:00`);

describe('daysUntil', () => {
  it('counts calendar days, zero on the day itself', () => {
    expect(daysUntil('2026-11-27', noon('2026-11-27'))).toBe(0);
    expect(daysUntil('2026-12-04', noon('2026-11-27'))).toBe(7);
    expect(daysUntil('2026-11-20', noon('2026-11-27'))).toBe(-7);
  });

  it('crosses a year boundary', () => {
    expect(daysUntil('2027-01-01', noon('2026-12-31'))).toBe(1);
  });
});

describe('expiryNotice', () => {
  it('warns within seven days', () => {
    expect(expiryNotice('2026-12-04', noon('2026-11-27'))).toEqual({ text: 'Expires in 7 days', warn: true });
    expect(expiryNotice('2026-11-28', noon('2026-11-27'))).toEqual({ text: 'Expires in 1 day', warn: true });
    expect(expiryNotice('2026-11-27', noon('2026-11-27'))).toEqual({ text: 'Expires today', warn: true });
  });

  it('does not warn eight days ahead', () => {
    expect(expiryNotice('2026-12-05', noon('2026-11-27')).warn).toBe(false);
  });

  it('says how long ago an expired membership ended', () => {
    expect(expiryNotice('2026-11-25', noon('2026-11-27'))).toEqual({
      text: 'Expired 2 days ago',
      warn: true,
    });
  });
});

describe('statusBadge', () => {
  it('pairs every status with words and an icon, not colour alone', () => {
    for (const status of ['active', 'expired', 'frozen'] as const) {
      const badge = statusBadge(status);
      expect(badge.label.length).toBeGreaterThan(0);
      expect(badge.icon.length).toBeGreaterThan(0);
    }
    expect(statusBadge('active').tone).toBe('good');
    expect(statusBadge('frozen').tone).toBe('fair');
    expect(statusBadge('expired').tone).toBe('poor');
  });
});

describe('rejectionText', () => {
  const member = { name: 'Ada Park', status: 'expired' as const, expiresAt: '2026-11-01' };

  it('names the expiry date of an inactive membership', () => {
    expect(
      rejectionText({ code: 'MEMBERSHIP_INACTIVE', message: 'membership expired on 2026-11-01' }, member),
    ).toBe("Ada Park's membership expired on 1 Nov 2026.");
  });

  it('says frozen for a frozen member', () => {
    expect(rejectionText({ code: 'MEMBERSHIP_INACTIVE' }, { ...member, status: 'frozen' })).toBe(
      "Ada Park's membership is frozen.",
    );
  });

  it('falls back to the server message without a member', () => {
    expect(rejectionText({ code: 'MEMBERSHIP_INACTIVE', message: 'membership expired on 2026-11-01' })).toBe(
      'Membership expired on 2026-11-01.',
    );
  });

  it('never shows a raw code', () => {
    const codes = [
      'MEMBER_NOT_FOUND',
      'ALREADY_CHECKED_IN',
      'NOT_CHECKED_IN',
      'VERSION_CONFLICT',
      'VALIDATION_FAILED',
      'RATE_LIMITED',
      'UNAVAILABLE',
      'INTERNAL',
      'MEMBERSHIP_INACTIVE',
    ];
    for (const code of codes) {
      expect(rejectionText({ code }, member)).not.toMatch(/[A-Z]{3,}_[A-Z]+/);
    }
  });
});

describe('formatDate', () => {
  it('writes day, short month and year', () => {
    expect(formatDate('2026-01-09')).toBe('9 Jan 2026');
  });

  it('returns anything unparseable unchanged', () => {
    expect(formatDate('soon')).toBe('soon');
  });
});
