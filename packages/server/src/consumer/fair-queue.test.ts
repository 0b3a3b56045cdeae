import { describe, expect, it } from 'vitest';
import { FairQueue } from './fair-queue.js';

const call = (lane: string, n: number, size = 1) => ({ lane, size, name: `${lane}${n}` });

describe('FairQueue', () => {
  it('is a FIFO with one lane', () => {
    const q = new FairQueue<ReturnType<typeof call>>();
    for (let i = 0; i < 5; i++) q.push(call('a', i, 300));
    expect(q.takeGroup(1000).map((c) => c.name)).toEqual(['a0', 'a1', 'a2']);
    expect(q.takeGroup(1000).map((c) => c.name)).toEqual(['a3', 'a4']);
    expect(q.length).toBe(0);
    expect(q.messages).toBe(0);
  });

  it("puts another lane's call in the next group however much one lane has queued", () => {
    const q = new FairQueue<ReturnType<typeof call>>();
    for (let i = 0; i < 100; i++) q.push(call('flood', i, 400));
    q.push(call('desk', 0, 1));
    const first = q.takeGroup(1000).map((c) => c.name);
    expect(first).toEqual(['flood0', 'desk0', 'flood1']);
    expect(q.length).toBe(98);
    expect(q.messages).toBe(98 * 400);
  });

  it('keeps the order within a lane and serves lanes in turn', () => {
    const q = new FairQueue<ReturnType<typeof call>>();
    for (const [lane, n] of [
      ['a', 0],
      ['a', 1],
      ['b', 0],
      ['a', 2],
      ['b', 1],
      ['c', 0],
    ] as const)
      q.push(call(lane, n));
    expect(q.takeGroup(4).map((c) => c.name)).toEqual(['a0', 'b0', 'c0', 'a1']);
    expect(q.takeGroup(4).map((c) => c.name)).toEqual(['b1', 'a2']);
  });

  it('takes one call alone when it is bigger than a group', () => {
    const q = new FairQueue<ReturnType<typeof call>>();
    q.push(call('a', 0, 5000));
    q.push(call('b', 0, 1));
    expect(q.takeGroup(1000).map((c) => c.name)).toEqual(['a0']);
    expect(q.takeGroup(1000).map((c) => c.name)).toEqual(['b0']);
  });
});
