import type { Member } from '@av-gym/protocol';
import { describe, expect, it } from 'vitest';
import { distinguishing, namesakeIds } from './namesakes.js';

function member(id: string, name: string, extra: Partial<Member> = {}): Member {
  return {
    id,
    membershipNumber: `N-${id}`,
    name,
    email: null,
    phone: null,
    plan: 'basic',
    status: 'active',
    expiresAt: '2027-01-01',
    notes: '',
    version: 1,
    lastVisitAt: null,
    ...extra,
  };
}

describe('namesakeIds', () => {
  it('names every member who shares a name, whatever the case and spacing', () => {
    const ids = namesakeIds([member('a', 'Ann Lee'), member('b', 'ann  lee '), member('c', 'Bo Chan')]);
    expect([...ids].sort()).toEqual(['a', 'b']);
  });

  it('is empty when every name is unique', () => {
    expect(namesakeIds([member('a', 'Ann Lee'), member('c', 'Bo Chan')]).size).toBe(0);
  });
});

describe('distinguishing', () => {
  it('lists the card number, email and phone that are set', () => {
    expect(distinguishing(member('a', 'Ann', { email: 'ann@example.org' }))).toBe(
      'card N-a · ann@example.org',
    );
  });
});
