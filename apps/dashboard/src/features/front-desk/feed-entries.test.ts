import { describe, expect, it } from 'vitest';
import { entriesFromVisits, entryFromEvent, mergeFeed } from './feed-entries.js';

describe('entriesFromVisits', () => {
  it('yields a check-in per visit and a check-out for closed ones', () => {
    const entries = entriesFromVisits([
      {
        id: 'v1',
        memberId: 'm1',
        memberName: 'Ada',
        deskId: 'A',
        checkedInAt: 1_000,
        checkedOutAt: 1_000 + 45 * 60_000,
      },
      { id: 'v2', memberId: 'm2', memberName: 'Bo', deskId: null, checkedInAt: 2_000, checkedOutAt: null },
    ]);
    expect(entries.map((e) => e.key)).toEqual(['v1:in', 'v1:out', 'v2:in']);
    expect(entries[1]?.stayMinutes).toBe(45);
  });
});

describe('entryFromEvent', () => {
  it('reads a check-out event with its stay', () => {
    const entry = entryFromEvent('check_out.created', {
      visitId: 'v9',
      memberId: 'm9',
      memberName: 'Cy',
      deskId: 'desk-b',
      at: 5_000,
      stayMinutes: 12,
    });
    expect(entry).toMatchObject({ key: 'v9:out', kind: 'out', deskId: 'desk-b', stayMinutes: 12 });
  });

  it('ignores other events and malformed data', () => {
    expect(entryFromEvent('member.updated', { member: {} })).toBeUndefined();
    expect(entryFromEvent('check_in.created', { memberId: 'm1' })).toBeUndefined();
  });
});

describe('mergeFeed', () => {
  const line = (key: string, atMs: number) => ({
    key,
    kind: 'in' as const,
    memberId: 'm',
    memberName: 'M',
    deskId: null,
    atMs,
  });

  it('keeps newest first without duplicates', () => {
    const merged = mergeFeed([line('a', 1), line('b', 3)], [line('c', 2), line('b', 3)]);
    expect(merged.map((e) => e.key)).toEqual(['b', 'c', 'a']);
  });

  it('caps the feed length', () => {
    const many = Array.from({ length: 10 }, (_, i) => line(`k${i}`, i));
    expect(mergeFeed([], many, 4).map((e) => e.key)).toEqual(['k9', 'k8', 'k7', 'k6']);
  });
});
