import { describe, expect, it } from 'vitest';
import { GymMix, membersOfDesk } from './gym-mix.js';

describe('GymMix', () => {
  it('alternates check-in and check-out of each member', () => {
    const mix = new GymMix('desk-1', ['m_1', 'm_2']);
    const visits = Array.from({ length: 6 }, () => mix.visit());
    expect(visits.map((v) => `${v.type}:${v.data.memberId}`)).toEqual([
      'check_in:m_1',
      'check_in:m_2',
      'check_out:m_1',
      'check_out:m_2',
      'check_in:m_1',
      'check_in:m_2',
    ]);
  });

  it('sends the gym mix: 70% visits, 20% member updates, 10% client_stats, unique ids', () => {
    const mix = new GymMix('desk-1', ['m_1']);
    const messages = Array.from({ length: 200 }, () => mix.next());
    const count = (t: string) => messages.filter((m) => m.type === t).length;
    expect(count('check_in') + count('check_out')).toBe(140);
    expect(count('member_update')).toBe(40);
    expect(count('client_stats')).toBe(20);
    expect(new Set(messages.map((m) => m.id)).size).toBe(200);
  });
});

describe('membersOfDesk', () => {
  it('gives each desk its own members', () => {
    const ids = ['a', 'b', 'c', 'd', 'e'];
    expect(membersOfDesk(ids, 2, 0)).toEqual(['a', 'c', 'e']);
    expect(membersOfDesk(ids, 2, 1)).toEqual(['b', 'd']);
  });

  it('shares a member when there are more desks than members', () => {
    expect(membersOfDesk(['a', 'b'], 5, 3)).toEqual(['b']);
  });
});
