import type { ServerEvent } from '@av-gym/protocol';
import { describe, expect, it } from 'vitest';
import { EventHistory } from './event-history.js';

const ev = (seq: number): ServerEvent =>
  ({
    type: 'event',
    seq,
    topic: 'occupancy',
    name: 'occupancy.changed',
    data: { current: seq, capacity: 9, todayTotal: seq },
  }) as ServerEvent;
const seqs = (events: ServerEvent[] | undefined) => events?.map((e) => e.seq);

describe('EventHistory', () => {
  it('replays every event after a seq, in order', () => {
    const h = new EventHistory(10);
    h.append([ev(1), ev(2), ev(3)]);
    expect(seqs(h.since(1))).toEqual([2, 3]);
    expect(seqs(h.since(0))).toEqual([1, 2, 3]);
    expect(h.since(3)).toEqual([]);
  });

  it('keeps only the newest events and refuses a gap it cannot fill', () => {
    const h = new EventHistory(3);
    h.append([1, 2, 3, 4, 5].map(ev));
    expect(h.length).toBe(3);
    expect(seqs(h.since(2))).toEqual([3, 4, 5]);
    expect(h.since(1)).toBeUndefined();
  });

  it('starts after the store seq and treats an unknown future seq as unfillable', () => {
    const h = new EventHistory(5, 40);
    expect(h.lastSeq).toBe(40);
    expect(h.since(40)).toEqual([]);
    expect(h.since(39)).toBeUndefined();
    expect(h.since(41)).toBeUndefined();
    h.append([ev(41)]);
    expect(seqs(h.since(40))).toEqual([41]);
  });

  it('ignores events it already holds and restarts after a hole in the seqs', () => {
    const h = new EventHistory(5);
    h.append([ev(1), ev(2)]);
    h.append([ev(2)]);
    expect(seqs(h.since(0))).toEqual([1, 2]);
    h.append([ev(5)]);
    expect(h.since(2)).toBeUndefined();
    expect(seqs(h.since(4))).toEqual([5]);
  });
});
