import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { plainCompactAck } from './ack-fast-path.js';
import { CompactAckFrame, compactAck, expandCompactAck, negotiateAckFormat } from './compact-ack.js';
import { decodeServerFrame } from './decode-server-frame.js';
import type { TypeResult } from './server-frames.js';

type Outcome =
  | { s: 'accepted' | 'duplicate'; info?: Record<string, unknown> }
  | { s: 'rejected'; code: string; message: string; data?: unknown };

const infoArb = fc.option(
  fc.record(
    { visitId: fc.string({ maxLength: 6 }), stayMinutes: fc.nat(600) },
    { requiredKeys: ['visitId'] },
  ),
  { nil: undefined },
);
const outcomeArb: fc.Arbitrary<Outcome> = fc.oneof(
  { weight: 6, arbitrary: fc.record({ s: fc.constant('accepted' as const), info: infoArb }) },
  fc.record({ s: fc.constant('duplicate' as const), info: infoArb }),
  fc.record(
    {
      s: fc.constant('rejected' as const),
      code: fc.constantFrom('ALREADY_CHECKED_IN', 'VERSION_CONFLICT', 'RATE_LIMITED', 'SOME_NEW_CODE'),
      message: fc.string({ maxLength: 8 }),
      data: fc.option(fc.dictionary(fc.string({ maxLength: 3 }), fc.nat()), { nil: undefined }),
    },
    { requiredKeys: ['s', 'code', 'message'] },
  ),
);
const TYPES = ['check_in', 'check_out', 'member_update', 'client_stats'] as const;

/** A sent batch: per type, unique ids (as the client's outbox makes them) and each one's outcome. */
const batchArb = fc
  .dictionary(
    fc.constantFrom(...TYPES),
    fc.uniqueArray(fc.record({ id: fc.string({ minLength: 1, maxLength: 5 }), outcome: outcomeArb }), {
      selector: (m) => m.id,
      maxLength: 8,
    }),
    { maxKeys: 4 },
  )
  .map((d) => d as Record<string, { id: string; outcome: Outcome }[]>);

/** The full results the server would answer (the order of build-results: the type's array order). */
function fullResults(batch: Record<string, { id: string; outcome: Outcome }[]>): Record<string, TypeResult> {
  const results: Record<string, TypeResult> = {};
  for (const [type, items] of Object.entries(batch)) {
    const r: TypeResult = { accepted: [] };
    for (const { id, outcome: o } of items) {
      if (o.s === 'rejected') {
        r.rejected ??= [];
        r.rejected.push(
          o.data === undefined
            ? { id, code: o.code as never, message: o.message }
            : { id, code: o.code as never, message: o.message, data: o.data },
        );
        continue;
      }
      if (o.s === 'accepted') r.accepted.push(id);
      else {
        r.duplicates ??= [];
        r.duplicates.push(id);
      }
      if (o.info) {
        r.info ??= {};
        r.info[id] = o.info;
      }
    }
    results[type] = r;
  }
  return results;
}

const sentIds = (batch: Record<string, { id: string }[]>) =>
  Object.fromEntries(Object.entries(batch).map(([t, items]) => [t, items.map((m) => m.id)]));
const wireItems = (batch: Record<string, { id: string }[]>) =>
  Object.fromEntries(
    Object.entries(batch).map(([t, items]) => [t, items.map((m) => ({ id: m.id, data: {} }))]),
  );

/** What a client makes of an ack, per id: the comparison the property needs. */
function outcomes(results: Record<string, TypeResult>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [type, r] of Object.entries(results)) {
    for (const id of r.accepted) out[`${type}/${id}`] = { ok: true, info: r.info?.[id] };
    for (const id of r.duplicates ?? [])
      out[`${type}/${id}`] = { ok: true, duplicate: true, info: r.info?.[id] };
    for (const x of r.rejected ?? [])
      out[`${type}/${x.id}`] = { ok: false, code: x.code, message: x.message, data: x.data };
  }
  return out;
}

describe('compact acks', () => {
  it('negotiates the first format offered that the server has, else full', () => {
    expect(negotiateAckFormat(['compact-deflate', 'compact'])).toBe('compact-deflate');
    expect(negotiateAckFormat(['zstd', 'compact'])).toBe('compact');
    expect(negotiateAckFormat(['compact-deflate'], ['compact', 'full'])).toBe('full');
    expect(negotiateAckFormat(undefined)).toBe('full');
    expect(negotiateAckFormat([])).toBe('full');
  });

  it('gives every message the outcome the full ack gives it (accepted, duplicate, refused, info)', () => {
    fc.assert(
      fc.property(batchArb, fc.nat(1_000_000), (batch, seq) => {
        const full = fullResults(batch);
        const compact = compactAck(seq, wireItems(batch), full);
        // what travels: JSON text, read back through the client's decoder
        const decoded = decodeServerFrame(JSON.stringify(compact));
        if (!decoded.ok || decoded.frame.type !== 'compact_ack') throw new Error('not decoded');
        const expanded = expandCompactAck(decoded.frame, sentIds(batch));
        expect(expanded.seq).toBe(seq);
        expect(outcomes(expanded.results)).toEqual(outcomes(full));
      }),
      { numRuns: 500 },
    );
  });

  it('leaves out what it does not cover (a partial ack): the client resends those', () => {
    const batch = { check_in: [{ id: 'a' }, { id: 'b' }, { id: 'c' }], check_out: [{ id: 'x' }] };
    const frame = CompactAckFrame.parse({ type: 'compact_ack', seq: 3, types: { check_in: { n: 2 } } });
    const expanded = expandCompactAck(frame, sentIds(batch));
    expect(expanded.results).toEqual({ check_in: { accepted: ['a', 'b'] } });
    // a type the client never sent is ignored, whatever its name
    const odd = JSON.parse(
      '{"type":"compact_ack","seq":3,"types":{"__proto__":{"n":1},"member_update":{"n":4}}}',
    );
    const r = decodeServerFrame(JSON.stringify(odd));
    if (!r.ok || r.frame.type !== 'compact_ack') throw new Error('not decoded');
    expect(expandCompactAck(r.frame, sentIds(batch)).results).toEqual({});
  });

  it('refuses INTERNAL a message the full results left out, and keeps repeated ids in order', () => {
    const items = { check_in: [{ id: 'a' }, { id: 'a' }, { id: 'b' }] };
    const compact = compactAck(1, items, {
      check_in: { accepted: ['a'], duplicates: ['a'], info: { a: { visitId: 'v1' } } },
    });
    expect(compact.types.check_in).toEqual({
      n: 3,
      dup: [1],
      rej: [{ i: 2, code: 'INTERNAL', message: 'the message got no outcome' }],
      info: [{ visitId: 'v1' }, { visitId: 'v1' }],
    });
    // an item without a usable id is named by its index, as in the full ack
    const noId = compactAck(
      2,
      { check_in: [{ data: 1 }] },
      {
        check_in: {
          accepted: [],
          rejected: [{ id: '#0', code: 'VALIDATION_FAILED', message: 'id: required' }],
        },
      },
    );
    expect(noId.types.check_in?.rej?.[0]?.i).toBe(0);
  });

  it('is much smaller than the full ack for an all-accepted batch', () => {
    const ids = Array.from({ length: 100 }, (_, i) => `01JD3X${String(i).padStart(20, '0')}`);
    const info = Object.fromEntries(ids.map((id, i) => [id, { visitId: `v_${i}` }]));
    const full = { check_in: { accepted: ids, info } };
    const compact = compactAck(9, { check_in: ids.map((id) => ({ id })) }, full);
    expect(JSON.stringify(compact).length).toBeLessThan(
      JSON.stringify({ type: 'ack', seq: 9, results: full }).length / 2,
    );
  });

  it('fast path: a plain compact ack is what the schema returns; anything else is left to the schema', () => {
    const leaf = fc.oneof(
      fc.string({ maxLength: 4 }),
      fc.integer({ min: -2, max: 5 }),
      fc.constant(null),
      fc.boolean(),
    );
    const typeResult = fc.record(
      {
        n: fc.oneof(fc.nat(5), leaf),
        dup: fc.oneof(fc.array(fc.nat(5), { maxLength: 3 }), leaf),
        info: fc.oneof(
          fc.array(
            fc.oneof(fc.constant(null), fc.dictionary(fc.string({ maxLength: 3 }), leaf, { maxKeys: 2 })),
            {
              maxLength: 3,
            },
          ),
          leaf,
        ),
        rej: fc.array(fc.record({ i: fc.nat(3), code: fc.constant('RATE_LIMITED'), message: fc.string() }), {
          maxLength: 1,
        }),
        other: leaf,
      },
      { requiredKeys: [] },
    );
    const frame = fc.record(
      {
        type: fc.constant('compact_ack'),
        seq: fc.oneof(fc.nat(), leaf),
        types: fc.oneof(
          fc.dictionary(fc.constantFrom('check_in', 'x', '__proto__'), typeResult, { maxKeys: 3 }),
          leaf,
        ),
        extra: leaf,
      },
      { requiredKeys: ['type'] },
    );
    fc.assert(
      fc.property(frame, (value) => {
        const v = JSON.parse(JSON.stringify(value)) as Record<string, unknown>;
        const fast = plainCompactAck(v);
        const schema = CompactAckFrame.safeParse(JSON.parse(JSON.stringify(value)));
        if (fast !== undefined) {
          expect(schema.success).toBe(true);
          expect(fast).toEqual(schema.data);
        }
      }),
      { numRuns: 1_000 },
    );
    expect(
      plainCompactAck({ type: 'compact_ack', seq: 1, types: { check_in: { n: 2, info: [null, { a: 1 }] } } }),
    ).toBeDefined();
  });
});
