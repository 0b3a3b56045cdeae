import { describe, expect, it } from 'vitest';
import { TEST_NOW } from '../../test/support/temp-sqlite-store.js';
import { buildDemoGym } from './demo-seed.js';

describe('demo history (a year, built in memory)', () => {
  const gym = buildDemoGym(TEST_NOW, 42, { historyDays: 365 });
  const closed = gym.visits.filter((v) => v.checkedOutAt !== null);
  const perDay = (keep: (d: Date) => boolean) => {
    const days = new Set<string>();
    let n = 0;
    for (const v of closed) {
      const d = new Date(v.checkedInAt);
      if (!keep(d)) continue;
      n += 1;
      days.add(d.toISOString().slice(0, 10));
    }
    return n / Math.max(1, days.size);
  };

  it('is deterministic and sized like a year of a 300-member chain', () => {
    expect(buildDemoGym(TEST_NOW, 42, { historyDays: 365 }).visits).toEqual(gym.visits);
    expect(closed.length).toBeGreaterThan(20_000);
    expect(closed.length).toBeLessThan(60_000);
    expect(Math.min(...closed.map((v) => v.checkedInAt))).toBeGreaterThan(TEST_NOW - 367 * 86_400_000);
  });

  it('peaks on weekday mornings and evenings (winter, when London and Dublin are on UTC)', () => {
    const hours = new Array<number>(24).fill(0);
    for (const v of closed) {
      const d = new Date(v.checkedInAt);
      if (d.getUTCDay() === 0 || d.getUTCDay() === 6 || ![0, 1, 11].includes(d.getUTCMonth())) continue;
      hours[d.getUTCHours()] = (hours[d.getUTCHours()] ?? 0) + 1;
    }
    expect(hours[7]).toBeGreaterThan(2 * (hours[14] ?? 0));
    expect(hours[18]).toBeGreaterThan(2 * (hours[14] ?? 0));
    expect(hours[3]).toBe(0);
  });

  it('has busier Mondays than Sundays, a January rise and a summer dip', () => {
    expect(perDay((d) => d.getUTCDay() === 1)).toBeGreaterThan(1.3 * perDay((d) => d.getUTCDay() === 0));
    expect(perDay((d) => d.getUTCMonth() === 0)).toBeGreaterThan(1.3 * perDay((d) => d.getUTCMonth() === 7));
    expect(perDay((d) => d.getUTCMonth() === 0)).toBeGreaterThan(perDay((d) => d.getUTCMonth() === 10));
  });

  it('has regulars, occasional visitors and lapsed members (no visit in 30 days)', () => {
    const last = new Map<string, number>();
    const count = new Map<string, number>();
    for (const v of closed) {
      last.set(v.memberId, Math.max(last.get(v.memberId) ?? 0, v.checkedInAt));
      count.set(v.memberId, (count.get(v.memberId) ?? 0) + 1);
    }
    const lapsed = [...last.values()].filter((at) => at < TEST_NOW - 30 * 86_400_000).length;
    expect(lapsed).toBeGreaterThan(30);
    const counts = [...count.values()].sort((a, b) => b - a);
    expect(counts[0]).toBeGreaterThan(150);
    expect(counts[counts.length - 1]).toBeLessThan(30);
  });
});
