import 'fake-indexeddb/auto';
import type { Member } from '@av-gym/protocol';
import { describe, expect, it } from 'vitest';
import { MemberIndex, offlineNote, searchIndex } from './member-index.js';

function member(i: number, over: Partial<Member> = {}): Member {
  return {
    id: `m_${i}`,
    membershipNumber: `GYM-${1000 + i}`,
    name: `Member ${i}`,
    email: `member${i}@example.com`,
    phone: null,
    plan: 'basic',
    status: 'active',
    expiresAt: '2099-12-31',
    notes: '',
    version: 1,
    lastVisitAt: null,
    ...over,
  };
}

let n = 0;
describe('MemberIndex', () => {
  it('answers from the copy a previous page saved, with its time', async () => {
    const name = `desk-${++n}`;
    const first = new MemberIndex(name);
    await first.replaceAll([member(1), member(2, { name: 'Ada Lovelace' })], 1_764_000_000_000);
    const reloaded = new MemberIndex(name);
    await reloaded.ready();
    expect(reloaded.size).toBe(2);
    expect(reloaded.search('ada', 8).map((m) => m.id)).toEqual(['m_2']);
    expect(reloaded.byNumber('gym-1001')?.id).toBe('m_1');
    expect(reloaded.asOfMs).toBe(1_764_000_000_000);
  });

  it('keeps the newer version of a member an event brings, never an older one', async () => {
    const index = new MemberIndex(`desk-${++n}`);
    await index.replaceAll([member(1, { version: 3 })], 1);
    await index.upsert(member(1, { version: 2, name: 'Old name' }), 2);
    expect(index.byId('m_1')?.version).toBe(3);
    await index.upsert(member(1, { version: 4, name: 'New name' }), 3);
    await index.upsert(member(9), 4);
    const reloaded = new MemberIndex(`desk-${n}`);
    await reloaded.ready();
    expect(reloaded.byId('m_1')?.name).toBe('New name');
    expect(reloaded.byId('m_9')).toBeDefined();
    expect(reloaded.asOfMs).toBe(4);
  });

  it('skips a saved record that is not a member', async () => {
    const name = `desk-${++n}`;
    const index = new MemberIndex(name);
    await index.replaceAll([member(1)], 1);
    await index.upsert({ id: 'broken' } as Member, 2);
    const reloaded = new MemberIndex(name);
    await reloaded.ready();
    expect(reloaded.size).toBe(1);
  });
});

describe('searchIndex', () => {
  it('ranks an exact card number first, then names starting with the query', () => {
    const list = [member(1, { name: 'Zed 1005' }), member(5, { name: 'Bo' }), member(7, { name: 'Gym fan' })];
    expect(searchIndex(list, 'GYM-1005', 8).map((m) => m.id)).toEqual(['m_5']);
    expect(searchIndex(list, 'gym', 8).map((m) => m.id)).toEqual(['m_7', 'm_5', 'm_1']);
    expect(searchIndex(list, '   ', 8)).toEqual([]);
    expect(searchIndex(list, 'gym', 1)).toHaveLength(1);
  });

  it('says where an answer comes from', () => {
    expect(offlineNote(null)).toBe("offline: from this desk's copy, as of never filled");
    expect(offlineNote(new Date(2026, 0, 1, 14, 2).getTime())).toBe(
      "offline: from this desk's copy, as of 14:02",
    );
  });
});
