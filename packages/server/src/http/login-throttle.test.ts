import { describe, expect, it } from 'vitest';
import { type LoginLimits, LoginThrottle } from './login-throttle.js';

const limits: LoginLimits = {
  maxFailures: 3,
  maxFailuresPerIp: 10,
  lockoutMs: 1000,
  maxLockoutMs: 60_000,
  trackedKeys: 100,
};

function throttle(overrides: Partial<LoginLimits> = {}) {
  let now = 1_000_000;
  const t = new LoginThrottle({ ...limits, ...overrides }, () => now);
  return { t, advance: (ms: number) => (now += ms) };
}

describe('LoginThrottle', () => {
  describe('per username', () => {
    it('lets the first failures through, then makes the name wait', () => {
      const { t } = throttle();
      expect([1, 2, 3].map(() => t.attempt('admin', 'ip-a'))).toEqual([0, 0, 0]);
      expect(t.attempt('admin', 'ip-b')).toBe(1000);
    });

    it('doubles the wait with each further failure, up to the longest wait', () => {
      const { t, advance } = throttle();
      for (let i = 0; i < 3; i++) t.attempt('admin', 'ip');
      const waits: number[] = [];
      for (let i = 0; i < 9; i++) {
        const wait = t.attempt('admin', 'ip');
        waits.push(wait);
        advance(wait);
        expect(t.attempt('admin', 'ip')).toBe(0);
      }
      expect(waits).toEqual([1000, 2000, 4000, 8000, 16_000, 32_000, 60_000, 60_000, 60_000]);
    });

    it('counts case variants of a name as one', () => {
      const { t } = throttle();
      for (const name of ['Admin', 'ADMIN', 'admin ']) t.attempt(name, 'ip');
      expect(t.attempt('admin', 'other-ip')).toBeGreaterThan(0);
    });

    it('clears the count on success', () => {
      const { t } = throttle();
      t.attempt('admin', 'ip');
      t.attempt('admin', 'ip');
      t.succeeded('admin', 'ip');
      expect([1, 2, 3].map(() => t.attempt('admin', 'ip'))).toEqual([0, 0, 0]);
    });

    it('forgets failures after twice the longest wait without one', () => {
      const { t, advance } = throttle();
      for (let i = 0; i < 3; i++) t.attempt('admin', 'ip');
      advance(120_001);
      expect(t.attempt('admin', 'ip')).toBe(0);
      expect(t.attempt('admin', 'ip')).toBe(0);
    });
  });

  describe('per IP', () => {
    it('makes an address wait after its own limit, whatever names it tries', () => {
      const { t } = throttle();
      for (let i = 0; i < 10; i++) expect(t.attempt(`user-${i}`, 'ip-a')).toBe(0);
      expect(t.attempt('user-new', 'ip-a')).toBe(1000);
      expect(t.attempt('user-new', 'ip-b')).toBe(0);
    });

    it('takes back only the successful attempt from the address', () => {
      const { t } = throttle();
      for (let i = 0; i < 9; i++) t.attempt(`user-${i}`, 'ip-a');
      expect(t.attempt('admin', 'ip-a')).toBe(0);
      t.succeeded('admin', 'ip-a');
      expect(t.attempt('admin', 'ip-a')).toBe(0);
      expect(t.attempt('admin', 'ip-a')).toBe(1000);
    });
  });

  describe('memory', () => {
    it('tracks at most trackedKeys names and addresses, forgetting the least recently failed', () => {
      const { t } = throttle({ trackedKeys: 50, maxFailuresPerIp: 1_000_000 });
      for (let i = 0; i < 3; i++) t.attempt('admin', 'ip-0');
      for (let i = 0; i < 100_000; i++) t.attempt(`stranger-${i}`, `ip-${i % 1000}`);
      expect(t.tracked()).toEqual({ usernames: 50, ips: 50 });
      // admin failed least recently, so it is gone
      expect(t.attempt('admin', 'ip-new')).toBe(0);
    });
  });
});
