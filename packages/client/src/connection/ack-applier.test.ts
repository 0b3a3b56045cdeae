import { describe, expect, it } from 'vitest';
import { buildFrame } from '../batcher/frame-builder.js';
import type { QueuedMessage } from '../batcher/queued-message.js';
import { ManualClock } from '../testing/manual-clock.js';
import { applyBatchAck, applyErrorFrame, applySingleAck } from './ack-applier.js';
import { Outbox, type SendOutcome } from './outbox.js';

let order = 0;
const msg = (id: string, type = 'check_in'): QueuedMessage => ({
  id,
  type,
  data: {},
  priority: 'high',
  order: order++,
  key: undefined,
  enqueuedAtMs: 0,
  sends: 0,
});

function setup(ids: string[]) {
  const requeued: string[] = [];
  const outcomes = new Map<string, SendOutcome>();
  const outbox = new Outbox({
    clock: new ManualClock(),
    random: () => 0,
    retryBaseDelayMs: 1,
    retryMaxDelayMs: 1,
    requeue: (ms) => requeued.push(...ms.map((m) => m.id)),
  });
  const messages = ids.map((id) => msg(id));
  for (const m of messages) outbox.add(m, (o) => outcomes.set(m.id, o), true);
  outbox.sent(buildFrame(messages, 9));
  return { outbox, outcomes, requeued };
}

describe('ack appliers', () => {
  it('settles accepted, duplicate and rejected ids and counts them', () => {
    const { outbox, outcomes } = setup(['a', 'b', 'c', 'd']);
    const tally = applyBatchAck(outbox, 9, {
      check_in: {
        accepted: ['a'],
        duplicates: ['b'],
        rejected: [
          { id: 'c', code: 'ALREADY_CHECKED_IN', message: 'open visit' },
          { id: 'd', code: 'INTERNAL', message: 'boom' },
        ],
        info: { a: { visitId: 'v1' } },
      },
    });
    expect(tally).toEqual({ acked: 2, rejected: 1, errors: 1 });
    expect(outcomes.get('a')).toEqual({ ok: true, id: 'a', info: { visitId: 'v1' } });
    expect(outcomes.get('b')).toEqual({ ok: true, id: 'b', duplicate: true });
    expect(outcomes.get('c')).toMatchObject({ ok: false, code: 'ALREADY_CHECKED_IN' });
    expect(outcomes.has('d')).toBe(false);
  });

  it('sends again the messages an ack leaves out, and survives a malformed ack', () => {
    const { outbox, outcomes } = setup(['a', 'b']);
    const tally = applyBatchAck(outbox, 9, { check_in: { accepted: ['a', 7], rejected: 'x' }, other: null });
    expect(tally).toEqual({ acked: 1, rejected: 0, errors: 1 });
    expect(outcomes.has('b')).toBe(false);
    expect(applyBatchAck(outbox, 9, {})).toBeUndefined();
  });

  it('applies a single-message ack', () => {
    const { outbox, outcomes } = setup(['a']);
    expect(
      applySingleAck(outbox, {
        type: 'ack',
        id: 'a',
        ok: false,
        code: 'VERSION_CONFLICT',
        message: 'm',
        data: { v: 2 },
      }),
    ).toEqual({
      acked: 0,
      rejected: 1,
      errors: 0,
    });
    expect(outcomes.get('a')).toEqual({
      ok: false,
      id: 'a',
      code: 'VERSION_CONFLICT',
      message: 'm',
      data: { v: 2 },
    });
  });

  it('voids the frame an error frame names', () => {
    const { outbox, outcomes } = setup(['a', 'b']);
    const r = applyErrorFrame(outbox, { type: 'error', code: 'BAD_FRAME', message: 'nope', ref: 9 });
    expect(r).toEqual({ notice: { code: 'BAD_FRAME', message: 'nope', ref: 9 }, errors: 2 });
    expect(outcomes.get('a')).toMatchObject({ ok: false, code: 'BAD_FRAME' });
    expect(outbox.framesInFlight).toBe(0);
  });
});
