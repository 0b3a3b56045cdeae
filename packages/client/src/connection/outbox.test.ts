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
    expect(outbox.framesInFlight).toBe(1);
    const tally = outbox.applyAck({
      type: 'ack',
      seq: 1,
      results: {
        check_in: {
          accepted: [],
          duplicates: ['a'],
          rejected: [{ id: 'b', code: 'NOT_CHECKED_IN', message: 'no visit' }],
          info: { a: { visitId: 'v' } },
        },
      },
    });
    expect(tally).toEqual({ acked: 1, rejected: 1, errors: 0 });
    expect(outbox.framesInFlight).toBe(0);
    expect(outcomes.get('a')).toEqual([{ ok: true, id: 'a', duplicate: true, info: { visitId: 'v' } }]);
    expect(outcomes.get('a2')).toEqual(outcomes.get('a'));
    expect(outcomes.get('b')?.[0]).toMatchObject({ ok: false, code: 'NOT_CHECKED_IN' });
    expect(outbox.size).toBe(0);
    // a settled message is unknown to a later ack: nothing counted
    expect(outbox.applyAck({ type: 'ack', id: 'b', ok: true })).toEqual({ acked: 0, rejected: 0, errors: 0 });
  });

  it('resends a retryable rejection after a full-jitter delay that doubles per retry', async () => {
    const { clock, outbox, requeued, outcomes, add } = setup();
    const a = add(msg('a'));
    outbox.sent(buildFrame([a], 1));
    const retrying = { acked: 0, rejected: 0, errors: 1 };
    expect(
      outbox.applyAck({ type: 'ack', id: 'a', ok: false, code: 'UNAVAILABLE', message: 'db down' }),
    ).toEqual(retrying);
    await clock.advance(249);
    expect(requeued).toEqual([]);
    await clock.advance(1);
    expect(requeued).toEqual(['a']);
    outbox.applyAck({ type: 'ack', id: 'a', ok: false, code: 'RATE_LIMITED', message: 'slow' });
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

describe('Outbox acks and frame errors', () => {
  function sentFrame(ids: string[]) {
    const { outbox, outcomes, add } = setup();
    const messages = ids.map((id) => add(msg(id)));
    outbox.sent(buildFrame(messages, 9));
    const outcome = (id: string) => outcomes.get(id)?.[0];
    return { outbox, outcome, settled: (id: string) => outcomes.has(id) };
  }

  it('settles accepted, duplicate and rejected ids of a batch ack and counts them', () => {
    const { outbox, outcome, settled } = sentFrame(['a', 'b', 'c', 'd']);
    const tally = outbox.applyAck({
      type: 'ack',
      seq: 9,
      results: {
        check_in: {
          accepted: ['a'],
          duplicates: ['b'],
          rejected: [
            { id: 'c', code: 'ALREADY_CHECKED_IN', message: 'open visit' },
            { id: 'd', code: 'INTERNAL', message: 'boom' },
          ],
          info: { a: { visitId: 'v1' } },
        },
      },
    });
    expect(tally).toEqual({ acked: 2, rejected: 1, errors: 1 });
    expect(outcome('a')).toEqual({ ok: true, id: 'a', info: { visitId: 'v1' } });
    expect(outcome('b')).toEqual({ ok: true, id: 'b', duplicate: true });
    expect(outcome('c')).toMatchObject({ ok: false, code: 'ALREADY_CHECKED_IN' });
    expect(settled('d')).toBe(false);
  });

  it('sends again the messages a batch ack leaves out, and ignores an ack of a seq not in flight', () => {
    const { outbox, settled } = sentFrame(['a', 'b']);
    const tally = outbox.applyAck({ type: 'ack', seq: 9, results: { check_in: { accepted: ['a'] } } });
    expect(tally).toEqual({ acked: 1, rejected: 0, errors: 1 });
    expect(settled('b')).toBe(false);
    expect(outbox.applyAck({ type: 'ack', seq: 9, results: {} })).toBeUndefined();
  });

  it('applies a single-message ack', () => {
    const { outbox, outcome } = sentFrame(['a']);
    expect(
      outbox.applyAck({
        type: 'ack',
        id: 'a',
        ok: false,
        code: 'VERSION_CONFLICT',
        message: 'm',
        data: { v: 2 },
      }),
    ).toEqual({ acked: 0, rejected: 1, errors: 0 });
    expect(outcome('a')).toEqual({
      ok: false,
      id: 'a',
      code: 'VERSION_CONFLICT',
      message: 'm',
      data: { v: 2 },
    });
  });

  it('voids the frame an error frame names; after BAD_FRAME its messages settle with that code', () => {
    const { outbox, outcome } = sentFrame(['a', 'b']);
    expect(outbox.applyError({ type: 'error', code: 'BAD_FRAME', message: 'nope', ref: 9 })).toBe(2);
    expect(outcome('a')).toMatchObject({ ok: false, code: 'BAD_FRAME' });
    expect(outbox.framesInFlight).toBe(0);
  });

  it('sends again the message of a single frame voided by any other frame error', async () => {
    const { outbox, settled } = sentFrame(['a']);
    expect(outbox.applyError({ type: 'error', code: 'RATE_LIMITED', message: 'slow', ref: 'a' })).toBe(1);
    expect(settled('a')).toBe(false);
    expect(outbox.applyError({ type: 'error', code: 'RATE_LIMITED', message: 'slow' })).toBe(0);
  });
});
