import { describe, expect, it } from 'vitest';
import { alertsOf, overrideOf, refusalOf } from './check-in-alerts.js';
import { entryFromEvent } from './feed-entries.js';

const balance = { type: 'balance_due', blocking: true, text: 'balance due: 12.50' };

describe('check-in alerts on the desk', () => {
  it('reads the alerts of an ack and drops a malformed list', () => {
    expect(alertsOf({ visitId: 'v', alerts: [balance] })).toEqual([balance]);
    expect(alertsOf({ visitId: 'v' })).toEqual([]);
    expect(alertsOf({ alerts: [{ type: 'nope', blocking: true, text: 'x' }] })).toEqual([]);
    expect(alertsOf(null)).toEqual([]);
  });

  it('offers an override only when every blocking reason is overridable', () => {
    const reason = { code: 'CHECK_IN_BLOCKED', text: 'balance due: 12.50', overridable: true };
    expect(refusalOf({ alerts: [balance], reasons: [reason] })).toEqual({
      alerts: [balance],
      overridable: true,
    });
    expect(
      refusalOf({
        alerts: [balance],
        reasons: [reason, { code: 'CAPACITY_REACHED', text: 'full', overridable: false }],
      }).overridable,
    ).toBe(false);
    expect(refusalOf(undefined)).toEqual({ alerts: [], overridable: false });
  });

  it('puts an override on the live feed line of its check-in', () => {
    const data = { visitId: 'v1', memberId: 'm1', memberName: 'Ada', deskId: 'desk-2', at: 5 };
    const override = { reason: 'paid in cash', by: 'maria' };
    expect(overrideOf({ override })).toEqual(override);
    expect(entryFromEvent('check_in.created', { ...data, override })?.override).toEqual(override);
    expect(entryFromEvent('check_in.created', data)).not.toHaveProperty('override');
  });
});
