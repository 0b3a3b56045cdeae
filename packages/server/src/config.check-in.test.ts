import { describe, expect, it } from 'vitest';
import { ConfigError, parseConfig } from './config.js';
import { DEFAULT_CHECK_IN_ALERT_POLICY } from './consumer/handlers/check-in-alerts.js';

describe('parseConfig: check-in alerts', () => {
  it('blocks expired and frozen members and counts a pass-back within 10 min by default', () => {
    const c = parseConfig({});
    expect(c.checkInAlerts).toEqual(DEFAULT_CHECK_IN_ALERT_POLICY);
    expect([...c.checkInAlerts.blocking]).toEqual(['expired', 'frozen']);
    expect(c.checkInAlerts.passBackMs).toBe(600_000);
  });

  it('reads CHECKIN_BLOCKING_ALERTS and PASSBACK_MINUTES', () => {
    const c = parseConfig({
      CHECKIN_BLOCKING_ALERTS: 'expired, balance_due,pass_back',
      PASSBACK_MINUTES: '3',
    });
    expect([...c.checkInAlerts.blocking].sort()).toEqual(['balance_due', 'expired', 'pass_back']);
    expect(c.checkInAlerts.passBackMs).toBe(180_000);
    expect(parseConfig({ CHECKIN_BLOCKING_ALERTS: 'none' }).checkInAlerts.blocking.size).toBe(0);
    expect(parseConfig({ PASSBACK_MINUTES: '0' }).checkInAlerts.passBackMs).toBe(0);
  });

  it.each([
    ['CHECKIN_BLOCKING_ALERTS', 'expired,unpaid'],
    ['CHECKIN_BLOCKING_ALERTS', 'EXPIRED'],
    ['PASSBACK_MINUTES', '-1'],
    ['PASSBACK_MINUTES', '1441'],
    ['PASSBACK_MINUTES', 'ten'],
  ])('stops start-up on %s=%s with a line naming the variable', (name, value) => {
    let error: unknown;
    try {
      parseConfig({ [name]: value });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).variable).toBe(name);
    expect((error as ConfigError).message).toMatch(new RegExp(`^${name}: .*; set ${name} to`));
  });
});
