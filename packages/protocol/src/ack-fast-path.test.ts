import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { plainAck } from './ack-fast-path.js';
import { decodeServerFrame } from './decode-server-frame.js';
import { BatchAckFrame, SingleAckFrame } from './server-frames.js';

/** What the schema alone answers for `value` (the fast path must never disagree with it). */
function bySchema(value: Record<string, unknown>) {
  const r = ('seq' in value ? BatchAckFrame : SingleAckFrame).safeParse(value);
  return r.success ? { ok: true, frame: r.data } : { ok: false };
}

const key = fc.oneof(
  fc.constantFrom('accepted', 'duplicates', 'rejected', 'info', 'check_in', '__proto__', 'ok', 'id', 'seq'),
  fc.string({ maxLength: 6 }),
);
const leaf = fc.oneof(
  fc.string({ maxLength: 6 }),
  fc.integer({ min: -3, max: 3 }),
  fc.double({ noNaN: true }),
  fc.boolean(),
  fc.constant(null),
);
const ids = fc.array(fc.oneof({ weight: 8, arbitrary: fc.string({ maxLength: 8 }) }, leaf), { maxLength: 4 });
const info = fc.oneof(
  fc.dictionary(fc.oneof(fc.string({ maxLength: 8 }), fc.constant('__proto__')), fc.dictionary(key, leaf), {
    maxKeys: 3,
  }),
  leaf,
  fc.array(leaf, { maxLength: 2 }),
);
const typeResult = fc.oneof(
  {
    weight: 6,
    arbitrary: fc.record({ accepted: ids, duplicates: ids, info }, { requiredKeys: ['accepted'] }),
  },
  fc.record(
    { accepted: ids, duplicates: ids, info, rejected: fc.array(fc.dictionary(key, leaf), { maxLength: 2 }) },
    { requiredKeys: [] },
  ),
  fc.record({ accepted: ids, extra: leaf }, { requiredKeys: ['accepted'] }),
  leaf,
);
const batchAck = fc.record(
  {
    type: fc.constant('ack'),
    seq: fc.oneof({ weight: 4, arbitrary: fc.nat() }, fc.integer({ min: -2, max: 2 }), fc.double(), leaf),
    results: fc.oneof({ weight: 6, arbitrary: fc.dictionary(key, typeResult, { maxKeys: 3 }) }, leaf),
    more: leaf,
  },
  { requiredKeys: ['type', 'seq', 'results'] },
);
const batchAckMaybeMore = fc.oneof(
  { weight: 4, arbitrary: batchAck.map(({ more: _, ...rest }) => rest) },
  batchAck,
  fc.record({ type: fc.constant('ack'), seq: fc.nat() }),
);
const singleAck = fc.record(
  {
    type: fc.constant('ack'),
    id: fc.oneof({ weight: 4, arbitrary: fc.string({ maxLength: 8 }) }, leaf),
    ok: fc.oneof({ weight: 4, arbitrary: fc.constant(true) }, leaf),
    duplicate: leaf,
    info: fc.oneof(fc.dictionary(key, leaf, { maxKeys: 3 }), leaf),
    code: fc.constantFrom('VERSION_CONFLICT', 'NEWER_CODE'),
    message: fc.string({ maxLength: 6 }),
    more: leaf,
  },
  { requiredKeys: ['type'] },
);
const singleAckMostlyPlain = fc.oneof(
  singleAck.map(({ code: _c, message: _m, more: _o, ...rest }) => rest),
  fc.record({ type: fc.constant('ack'), ok: fc.constant(true) }),
  fc.record({ type: fc.constant('ack'), id: fc.string() }),
);

describe('the ack fast path', () => {
  it('answers exactly what the schema answers, for any ack-like JSON', () => {
    fc.assert(
      fc.property(fc.oneof(batchAckMaybeMore, singleAckMostlyPlain, singleAck), (frame) => {
        const text = JSON.stringify(frame);
        const value = JSON.parse(text) as Record<string, unknown>;
        const decoded = decodeServerFrame(text);
        expect(decoded.ok ? { ok: true, frame: decoded.frame } : { ok: false }).toEqual(bySchema(value));
      }),
      { numRuns: 3000 },
    );
  });

  it('takes the plain shapes itself and leaves refusals and unknown fields to the schema', () => {
    const accepted = {
      type: 'ack',
      seq: 3,
      results: { check_in: { accepted: ['a'], info: { a: { v: 1 } } } },
    };
    expect(plainAck(accepted)).toBe(accepted);
    expect(plainAck({ type: 'ack', id: 'a', ok: true, duplicate: true })).toBeDefined();
    const refused = { type: 'ack', seq: 4, results: { check_in: { accepted: [], rejected: [] } } };
    expect(plainAck(refused)).toBeUndefined();
    expect(plainAck({ ...accepted, newerField: 1 })).toBeUndefined();
    expect(plainAck({ type: 'ack', id: 'a', ok: false, code: 'X', message: 'm' })).toBeUndefined();
    // the schema still strips what the fast path declined
    expect(decodeServerFrame(JSON.stringify({ ...accepted, newerField: 1 }))).toEqual({
      ok: true,
      frame: accepted,
    });
  });
});
