import { describe, expect, it } from 'vitest';
import { TEST_NOW } from '../../test/support/temp-sqlite-store.js';
import { buildDemoGym, DEMO_MEMBER_COUNT, DEMO_OPEN_VISITS } from './demo-seed.js';
import { isoDateUtc } from './records.js';

const DAY_MS = 86_400_000;

describe('buildDemoGym', () => {
  const gym = buildDemoGym(TEST_NOW);

  it('is the same gym on every run', () => {
    expect(buildDemoGym(TEST_NOW)).toEqual(gym);
    expect(buildDemoGym(TEST_NOW, 7).members.map((m) => m.name)).not.toEqual(gym.members.map((m) => m.name));
  });

  it('has unique ids and unique 6-digit membership numbers', () => {
    expect(gym.members).toHaveLength(DEMO_MEMBER_COUNT);
    expect(new Set(gym.members.map((m) => m.id)).size).toBe(DEMO_MEMBER_COUNT);
    const numbers = gym.members.map((m) => m.membershipNumber);
    expect(new Set(numbers).size).toBe(DEMO_MEMBER_COUNT);
    expect(numbers.every((n) => /^\d{6}$/.test(n))).toBe(true);
    expect(gym.lastMembershipNumber).toBe(Math.max(...numbers.map(Number)));
  });

  it('mixes statuses: mostly active, some expired and frozen, a few expiring within 7 days', () => {
    const by = (s: string) => gym.members.filter((m) => m.status === s).length;
    expect(by('active')).toBeGreaterThan(DEMO_MEMBER_COUNT * 0.6);
    expect(by('expired')).toBeGreaterThan(5);
    expect(by('frozen')).toBeGreaterThan(5);
    const today = isoDateUtc(TEST_NOW);
    const soon = isoDateUtc(TEST_NOW + 7 * DAY_MS);
    const expiring = gym.members.filter(
      (m) => m.status === 'active' && m.expiresAt >= today && m.expiresAt <= soon,
    );
    expect(expiring.length).toBeGreaterThan(0);
    expect(gym.members.filter((m) => m.status === 'expired').every((m) => m.expiresAt < today)).toBe(true);
  });

  it('gives realistic varied names, emails and phones', () => {
    expect(new Set(gym.members.map((m) => m.name)).size).toBeGreaterThan(DEMO_MEMBER_COUNT * 0.8);
    expect(new Set(gym.members.map((m) => m.plan)).size).toBe(5);
    const emails = gym.members.flatMap((m) => (m.email ? [m.email] : []));
    expect(emails.length).toBeGreaterThan(DEMO_MEMBER_COUNT * 0.8);
    expect(emails.every((e) => /^[a-z]+\.[a-z]+\d+@example\.com$/.test(e))).toBe(true);
    expect(gym.members.some((m) => m.phone !== null)).toBe(true);
  });

  it('has a week of closed visits and members checked in now, only for usable memberships', () => {
    const open = gym.visits.filter((v) => v.checkedOutAt === null);
    expect(open).toHaveLength(DEMO_OPEN_VISITS);
    expect(new Set(open.map((v) => v.memberId)).size).toBe(DEMO_OPEN_VISITS);
    const closed = gym.visits.filter((v) => v.checkedOutAt !== null);
    expect(closed.length).toBeGreaterThan(100);
    for (const v of gym.visits) {
      expect(v.checkedInAt).toBeGreaterThan(TEST_NOW - 8 * DAY_MS);
      expect(v.checkedInAt).toBeLessThan(TEST_NOW);
      if (v.checkedOutAt !== null) expect(v.checkedOutAt).toBeGreaterThan(v.checkedInAt);
    }
    const byId = new Map(gym.members.map((m) => [m.id, m]));
    expect(open.every((v) => byId.get(v.memberId)?.status === 'active')).toBe(true);
    const visitor = byId.get(open[0]!.memberId)!;
    expect(visitor.lastVisitAt).toBe(
      Math.max(...gym.visits.filter((v) => v.memberId === visitor.id).map((v) => v.checkedInAt)),
    );
  });
});

describe('isoDateUtc', () => {
  it('gives the UTC day of each instant, across midnight and back again', () => {
    const midnight = Date.UTC(2026, 10, 27);
    const days = [midnight - 1, midnight, midnight + 86_399_999, midnight + 86_400_000, midnight - 1].map(
      isoDateUtc,
    );
    expect(days).toEqual(['2026-11-26', '2026-11-27', '2026-11-27', '2026-11-28', '2026-11-26']);
    expect(isoDateUtc(-1)).toBe('1969-12-31');
  });
});
