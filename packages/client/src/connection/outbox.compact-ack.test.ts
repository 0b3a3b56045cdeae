import { deflateRawSync, inflateRawSync } from 'node:zlib';
import { compactAck, decodeServerFrame, type TypeResult } from '@av-gym/protocol';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildFrame } from '../batcher/frame-builder.js';
import type { QueuedMessage } from '../batcher/queued-message.js';
import { inflateText } from '../codec/inflater.js';
import { inflateRaw } from '../node.js';
import { ManualClock } from '../testing/manual-clock.js';
import { Outbox, type SendOutcome } from './outbox.js';

type Verdict =
  | { s: 'accepted' | 'duplicate'; info?: Record<string, unknown> }
  | { s: 'rejected'; code: string; message: string; data?: unknown }
  | { s: 'omitted' };

const TYPES = ['check_in', 'check_out', 'member_update', 'client_stats'] as const;

const verdictArb: fc.Arbitrary<Verdict> = fc.oneof(
  {
    weight: 5,
    arbitrary: fc.record(
      { s: fc.constant('accepted' as const), info: fc.record({ visitId: fc.string({ maxLength: 4 }) }) },
      { requiredKeys: ['s'] },
    ),
  },
  fc.record(
    { s: fc.constant('duplicate' as const), info: fc.record({ version: fc.nat(9) }) },
    { requiredKeys: ['s'] },
  ),
  fc.record(
    {
      s: fc.constant('rejected' as const),
      code: fc.constantFrom(
        'ALREADY_CHECKED_IN',
        'VERSION_CONFLICT',
        'RATE_LIMITED',
        'INTERNAL',
        'A_NEW_CODE',
      ),
      message: fc.string({ maxLength: 6 }),
      data: fc.dictionary(fc.string({ maxLength: 2 }), fc.nat()),
    },
    { requiredKeys: ['s', 'code', 'message'] },
  ),
  // the server's results leave it out (a partial ack): the client sends it again
  fc.constant({ s: 'omitted' as const }),
);

/** A frame's messages, interleaved types, each with the server's verdict. */
const frameArb = fc.array(fc.record({ type: fc.constantFrom(...TYPES), verdict: verdictArb }), {
  minLength: 2,
  maxLength: 12,
});

let order = 0;
function message(type: string, i: number): QueuedMessage {
  return {
    id: `m${order}-${i}`,
    type,
    data: { memberId: `mem${i}` },
    priority: 'high',
    order: order++,
    key: `mem${i}`,
    enqueuedAtMs: 0,
    sends: 0,
  };
}

/** The full results the server would answer for these verdicts (by type, the frame's order). */
function fullResults(messages: QueuedMessage[], verdicts: Verdict[]): Record<string, TypeResult> {
  const results: Record<string, TypeResult> = {};
  messages.forEach((m, i) => {
    const v = verdicts[i] as Verdict;
    results[m.type] ??= { accepted: [] };
    const r = results[m.type] as TypeResult;
    if (v.s === 'omitted') return;
    if (v.s === 'rejected') {
      r.rejected ??= [];
      r.rejected.push({
        id: m.id,
        code: v.code as never,
        message: v.message,
        ...(v.data ? { data: v.data } : {}),
      });
      return;
    }
    if (v.s === 'accepted') r.accepted.push(m.id);
    else {
      r.duplicates ??= [];
      r.duplicates.push(m.id);
    }
    if (v.info) {
      r.info ??= {};
      r.info[m.id] = v.info;
    }
  });
  return results;
}

/** Sends one frame through an outbox, applies `ack`, and reports every send's outcome and what went back. */
function settle(messages: QueuedMessage[], apply: (outbox: Outbox) => unknown) {
  const outcomes: Record<string, SendOutcome[]> = {};
  const requeued: string[] = [];
  const outbox = new Outbox({
    clock: new ManualClock(),
    random: () => 0.5,
    retryBaseDelayMs: 1,
    retryMaxDelayMs: 1,
    requeue: (ms) => requeued.push(...ms.map((m) => m.id)),
  });
  for (const m of messages) {
    outcomes[m.id] = [];
    outbox.add(m, (o) => outcomes[m.id]?.push(o), true);
  }
  outbox.sent(buildFrame(messages, 7));
  const tally = apply(outbox);
  return { outcomes, tally, inFlight: outbox.framesInFlight, size: outbox.size };
}

/** The batch as the server reads it from the frame's text. */
function wireBatches(messages: QueuedMessage[]): Record<string, unknown[]> {
  const text = buildFrame(messages, 7).text;
  return (JSON.parse(text) as { batches: Record<string, unknown[]> }).batches;
}

describe('Outbox: compact acks', () => {
  it('resolves every send exactly as the full ack does: accepted, duplicates, refusals, partial acks', () => {
    fc.assert(
      fc.property(frameArb, (spec) => {
        const messages = spec.map((s, i) => message(s.type, i));
        const verdicts = spec.map((s) => s.verdict);
        const results = fullResults(messages, verdicts);
        const full = settle(messages, (o) => o.applyAck({ type: 'ack', seq: 7, results }));
        const compactFrame = compactAck(7, wireBatches(messages), results);
        // through the wire text and the decoder, as the session reads it
        const decoded = decodeServerFrame(JSON.stringify(compactFrame));
        if (!decoded.ok || decoded.frame.type !== 'compact_ack') throw new Error('not decoded');
        const frame = decoded.frame;
        const compact = settle(messages, (o) => o.applyCompactAck(frame));
        // what the full ack leaves out, compact refuses INTERNAL (retryable): both send it again later
        expect(compact.tally).toEqual(full.tally);
        expect(compact.outcomes).toEqual(full.outcomes);
        expect(compact.inFlight).toBe(0);
        expect(compact.size).toBe(full.size);
        // every send settled at most once; settled ones exactly as the verdict says
        for (const [i, m] of messages.entries()) {
          const got = compact.outcomes[m.id] as SendOutcome[];
          expect(got.length).toBeLessThanOrEqual(1);
          const v = verdicts[i] as Verdict;
          const retried =
            v.s === 'omitted' || (v.s === 'rejected' && ['RATE_LIMITED', 'INTERNAL'].includes(v.code));
          expect(got.length).toBe(retried ? 0 : 1);
        }
      }),
      { numRuns: 400 },
    );
  });

  it('ignores a compact ack for a seq not in flight', () => {
    const messages = [message('check_in', 0), message('check_in', 1)];
    const r = settle(messages, (o) =>
      o.applyCompactAck({ type: 'compact_ack', seq: 8, types: { check_in: { n: 2 } } }),
    );
    expect(r.tally).toBeUndefined();
    expect(r.inFlight).toBe(1);
  });

  it('reads a binary (deflated) ack only with an inflater, and ignores one that does not inflate', () => {
    const bytes = new Uint8Array([0x4b, 0x4c, 0x4a, 0x06, 0x00]); // raw DEFLATE of "abc"
    const inflate = (b: Uint8Array) => inflateRawSync(b);
    expect(inflateText(bytes, inflate)).toBe('abc');
    expect(inflateText(bytes.buffer, inflate)).toBe('abc');
    expect(inflateText(bytes, undefined)).toBeUndefined();
    expect(inflateText(new Uint8Array([1, 2, 3]), inflate)).toBeUndefined();
    expect(inflateText('text', inflate)).toBeUndefined();
    // Node's inflater stops at the frame limit (1 MiB): a "zip bomb" is ignored, not inflated
    const bomb = deflateRawSync(Buffer.alloc(2 * 1024 * 1024));
    expect(inflateText(bomb, inflateRaw)).toBeUndefined();
    expect(inflateText(deflateRawSync('{"type":"pong"}'), inflateRaw)).toBe('{"type":"pong"}');
  });
});
