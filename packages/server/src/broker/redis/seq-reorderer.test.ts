import type { ServerEvent } from '@av-gym/protocol';
import { describe, expect, it } from 'vitest';
import type { Clock } from '../../clock.js';
import { SeqReorderer } from './seq-reorderer.js';

function event(seq: number): ServerEvent {
  return {
    type: 'event',
    seq,
    topic: 'occupancy',
    name: 'occupancy.changed',
    at: 1,
    data: { current: seq, capacity: 100, todayTotal: seq },
  } as ServerEvent;
}

function manualClock(): Clock & { advance(ms: number): void } {
  let now = 0;
  const timers = new Map<number, { at: number; fn: () => void }>();
  let nextId = 1;
  return {
    now: () => now,
    setTimeout(fn, delayMs) {
      const id = nextId++;
      timers.set(id, { at: now + delayMs, fn });
      return id;
    },
    clearTimeout(handle) {
      timers.delete(handle as number);
    },
    advance(ms) {
      now += ms;
      for (const [id, t] of [...timers]) {
        if (t.at <= now) {
          timers.delete(id);
          t.fn();
        }
      }
    },
  };
}

function setup(gapWaitMs = 100, maxHeld = 1000, fill?: (from: number, to: number) => Promise<ServerEvent[]>) {
  const clock = manualClock();
  const delivered: number[][] = [];
  const skipped: [number, number][] = [];
  const r = new SeqReorderer({
    deliver: (events) => delivered.push(events.map((e) => e.seq)),
    onGapSkipped: (from, to) => skipped.push([from, to]),
    gapWaitMs,
    maxHeld,
    clock,
    ...(fill ? { fill } : {}),
  });
  return { r, clock, delivered, skipped, seen: () => delivered.flat() };
}

describe('SeqReorderer', () => {
  it('delivers events in order as they come when there is no gap', () => {
    const { r, delivered } = setup();
    r.push([event(1), event(2)]);
    r.push([event(3)]);
    expect(delivered).toEqual([[1, 2], [3]]);
  });

  it('holds an early seq until the missing one arrives, then delivers both in order', () => {
    const { r, seen } = setup();
    r.startAfter(4);
    r.push([event(6), event(7)]);
    expect(seen()).toEqual([]);
    r.push([event(5)]);
    expect(seen()).toEqual([5, 6, 7]);
  });

  it('drops seqs already delivered and ones at or below the start', () => {
    const { r, seen } = setup();
    r.startAfter(10);
    r.push([event(9), event(11)]);
    r.push([event(11), event(10), event(12)]);
    expect(seen()).toEqual([11, 12]);
  });

  it('moves past a gap that stays open for gapWaitMs and reports it', () => {
    const { r, clock, seen, skipped } = setup(100);
    r.startAfter(0);
    r.push([event(1), event(4)]);
    clock.advance(99);
    expect(seen()).toEqual([1]);
    clock.advance(1);
    expect(seen()).toEqual([1, 4]);
    expect(skipped).toEqual([[2, 3]]);
    r.push([event(2)]);
    expect(seen()).toEqual([1, 4]);
  });

  it('skips a gap at once when too many events wait behind it', () => {
    const { r, seen } = setup(10_000, 3);
    r.startAfter(0);
    r.push([event(5), event(6), event(7)]);
    expect(seen()).toEqual([]);
    r.push([event(8)]);
    expect(seen()).toEqual([5, 6, 7, 8]);
  });

  it('delivers nothing after close', () => {
    const { r, clock, seen } = setup();
    r.startAfter(0);
    r.push([event(2)]);
    r.close();
    r.push([event(1)]);
    clock.advance(1_000);
    expect(seen()).toEqual([]);
  });

  it('fills a gap that stays open from fill and delivers in order', async () => {
    const asked: [number, number][] = [];
    const { r, clock, seen, skipped } = setup(100, 1000, async (from, to) => {
      asked.push([from, to]);
      return [event(2), event(3)];
    });
    r.startAfter(0);
    r.push([event(1), event(4)]);
    clock.advance(100);
    await Promise.resolve();
    await Promise.resolve();
    expect(asked).toEqual([[2, 3]]);
    expect(seen()).toEqual([1, 2, 3, 4]);
    expect(skipped).toEqual([]);
  });

  it('skips what fill cannot supply', async () => {
    const { r, clock, seen, skipped } = setup(100, 1000, async () => [event(2)]);
    r.startAfter(0);
    r.push([event(1), event(4)]);
    clock.advance(100);
    await Promise.resolve();
    await Promise.resolve();
    expect(seen()).toEqual([1, 2, 4]);
    expect(skipped).toEqual([[3, 3]]);
  });

  it('fills seqs it was told exist even when no later event reveals the gap', async () => {
    const { r, clock, seen } = setup(100, 1000, async (from, to) =>
      Array.from({ length: to - from + 1 }, (_, i) => event(from + i)),
    );
    r.startAfter(0);
    r.push([event(1)]);
    r.expectUpTo(3);
    r.expectUpTo(0);
    clock.advance(99);
    expect(seen()).toEqual([1]);
    clock.advance(1);
    await Promise.resolve();
    await Promise.resolve();
    expect(seen()).toEqual([1, 2, 3]);
  });

  it('lets an expected seq that arrives in time through without filling', () => {
    const { r, clock, seen, skipped } = setup(100);
    r.startAfter(0);
    r.expectUpTo(2);
    r.push([event(1), event(2)]);
    clock.advance(1_000);
    expect(seen()).toEqual([1, 2]);
    expect(skipped).toEqual([]);
  });
});
