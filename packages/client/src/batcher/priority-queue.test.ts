import type { Priority } from '@av-gym/protocol';
import { describe, expect, it } from 'vitest';
import { PriorityQueue } from './priority-queue.js';
import type { QueuedMessage } from './queued-message.js';

let order = 0;
function msg(id: string, priority: Priority, key?: string): QueuedMessage {
  return { id, type: 't', data: {}, priority, order: order++, key, enqueuedAtMs: 0, sends: 0 };
}

describe('PriorityQueue', () => {
  it('takes high before medium before low when it cannot take everything', () => {
    const q = new PriorityQueue();
    q.push(msg('l1', 'low'));
    q.push(msg('m1', 'medium'));
    q.push(msg('h1', 'high'));
    q.push(msg('h2', 'high'));
    expect(q.take(3).map((m) => m.id)).toEqual(['m1', 'h1', 'h2']);
    expect(q.take(3).map((m) => m.id)).toEqual(['l1']);
  });

  it('returns a taken set in enqueue order', () => {
    const q = new PriorityQueue();
    q.push(msg('m1', 'medium'));
    q.push(msg('h1', 'high'));
    expect(q.take(10).map((m) => m.id)).toEqual(['m1', 'h1']);
  });

  it('takes the earlier messages of a member along with a later high one', () => {
    const q = new PriorityQueue();
    q.push(msg('u1', 'medium', 'm_1'));
    q.push(msg('x', 'medium', 'm_2'));
    q.push(msg('in', 'high', 'm_1'));
    q.push(msg('y', 'medium', 'm_3'));
    expect(q.take(2).map((m) => m.id)).toEqual(['u1', 'in']);
    expect(q.lastOfKey('m_1')).toBeUndefined();
    expect(q.size).toBe(2);
  });

  it('takes the oldest part of one member backlog larger than a batch', () => {
    const q = new PriorityQueue();
    for (let i = 0; i < 5; i++) q.push(msg(`a${i}`, 'medium', 'm_1'));
    q.push(msg('h', 'high', 'm_1'));
    expect(q.take(3).map((m) => m.id)).toEqual(['a0', 'a1', 'a2']);
    expect(q.take(3).map((m) => m.id)).toEqual(['a3', 'a4', 'h']);
  });

  it('puts requeued messages back in their original place', () => {
    const q = new PriorityQueue();
    const early = msg('early', 'high', 'k');
    const late = msg('late', 'high', 'k');
    q.push(late);
    q.push(early);
    expect(q.takeAll().map((m) => m.id)).toEqual(['early', 'late']);
  });

  it('drops the oldest of a priority', () => {
    const q = new PriorityQueue();
    q.push(msg('l1', 'low'));
    q.push(msg('l2', 'low'));
    expect(q.shiftOldest('low')?.id).toBe('l1');
    expect(q.sizeOf('low')).toBe(1);
  });
});
