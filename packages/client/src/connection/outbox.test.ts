import type { Priority } from '@av-gym/protocol';
import { describe, expect, it } from 'vitest';
import { buildFrame } from '../batcher/frame-builder.js';
import type { QueuedMessage } from '../batcher/queued-message.js';
import { ManualClock } from '../testing/manual-clock.js';
import { Outbox, type SendOutcome } from './outbox.js';

let order = 0;
const msg = (id: string, priority: Priority = 'high'): QueuedMessage => ({
  id,
  type: 'check_in',
  data: { memberId: id },
  priority,
  order: order++,
  key: id,
  enqueuedAtMs: 0,
  sends: 0,
});

function setup() {
  const clock = new ManualClock();
  const requeued: string[] = [];
  const settled: string[] = [];
  const outbox = new Outbox({
    clock,
    random: () => 0.5,
    retryBaseDelayMs: 500,
    retryMaxDelayMs: 30_000,
    requeue: (ms) => requeued.push(...ms.map((m) => m.id)),
    onSettled: (m, o) => settled.push(`${m.id}:${o.ok}`),
  });
  const outcomes = new Map<string, SendOutcome[]>();
  const add = (m: QueuedMessage) => {
    outbox.add(m, (o) => outcomes.set(m.id, [...(outcomes.get(m.id) ?? []), o]), m.priority !== 'low');
    return m;
  };
  return { clock, outbox, requeued, settled, outcomes, add };
}

describe('Outbox', () => {
  it('settles every caller of a message with the server result', () => {
    const { outbox, outcomes, add } = setup();
    const a = add(msg('a'));
    outbox.attach('a', (o) => outcomes.set('a2', [o]));
    outbox.sent(buildFrame([a, add(msg('b'))], 1));
    expect(outbox.ackBatch(1)?.map((m) => m.id)).toEqual(['a', 'b']);
    expect(outbox.apply('a', { kind: 'accepted', duplicate: true, info: { visitId: 'v' } })).toBe('acked');
    expect(outcomes.get('a')).toEqual([{ ok: true, id: 'a', duplicate: true, info: { visitId: 'v' } }]);
    expect(outcomes.get('a2')).toEqual(outcomes.get('a'));
    expect(outbox.apply('b', { kind: 'rejected', code: 'NOT_CHECKED_IN', message: 'no visit' })).toBe(
      'rejected',
    );
    expect(outcomes.get('b')?.[0]).toMatchObject({ ok: false, code: 'NOT_CHECKED_IN' });
    expect(outbox.size).toBe(0);
    expect(outbox.apply('b', { kind: 'accepted', duplicate: false })).toBe('unknown');
  });

  it('resends a retryable rejection after a full-jitter delay that doubles per retry', async () => {
    const { clock, outbox, requeued, outcomes, add } = setup();
    const a = add(msg('a'));
    outbox.sent(buildFrame([a], 1));
    expect(outbox.apply('a', { kind: 'rejected', code: 'UNAVAILABLE', message: 'db down' })).toBe('retrying');
    await clock.advance(249);
    expect(requeued).toEqual([]);
    await clock.advance(1);
    expect(requeued).toEqual(['a']);
    outbox.apply('a', { kind: 'rejected', code: 'RATE_LIMITED', message: 'slow' });
    await clock.advance(499);
    expect(requeued).toEqual(['a']);
    await clock.advance(1);
    expect(requeued).toEqual(['a', 'a']);
    expect(outcomes.has('a')).toBe(false);
  });

  it('returns kept messages of lost frames in enqueue order and drops low ones', () => {
    const { outbox, outcomes, add } = setup();
    const a = add(msg('a'));
    const low = add(msg('low', 'low'));
    const b = add(msg('b'));
    outbox.sent(buildFrame([b], 2));
    outbox.sent(buildFrame([a, low], 1));
    const lost = outbox.connectionLost();
    expect(lost.resend.map((m) => m.id)).toEqual(['a', 'b']);
    expect(lost.dropped).toBe(1);
    expect(outcomes.get('low')?.[0]).toMatchObject({ ok: false, code: 'DROPPED' });
    expect(outbox.framesInFlight).toBe(0);
    expect(outbox.size).toBe(2);
  });

  it('expires only low-priority messages sent and unacked past the age', async () => {
    const { clock, outbox, outcomes, add } = setup();
    const sentLow = add(msg('sent-low', 'low'));
    add(msg('queued-low', 'low'));
    outbox.sent(buildFrame([sentLow, add(msg('high'))], 1));
    await clock.advance(300_000);
    expect(outbox.expireStale(300_000)).toBe(1);
    expect(outcomes.get('sent-low')?.[0]).toMatchObject({ code: 'TIMEOUT' });
    expect(outbox.size).toBe(2);
  });

  it('settles everything and clears retry timers on failAll', () => {
    const { clock, outbox, outcomes, add } = setup();
    const a = add(msg('a'));
    outbox.retryLater(a);
    expect(clock.pendingTimers).toBe(1);
    outbox.failAll('CLOSED', 'closed');
    expect(clock.pendingTimers).toBe(0);
    expect(outcomes.get('a')?.[0]).toMatchObject({ ok: false, code: 'CLOSED' });
  });
});
