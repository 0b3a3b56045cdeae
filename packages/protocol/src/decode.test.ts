import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { batchSize, decodeFrame, orderedItems, validateMessage } from './decode.js';

describe('decodeFrame', () => {
  it('parses a hello frame with topics and resume', () => {
    const r = decodeFrame(
      JSON.stringify({
        type: 'hello',
        token: 't',
        clientId: 'desk-1',
        topics: ['*'],
        resume: { lastEventSeq: 3 },
      }),
    );
    expect(r).toEqual({
      ok: true,
      frame: { type: 'hello', token: 't', clientId: 'desk-1', topics: ['*'], resume: { lastEventSeq: 3 } },
    });
  });

  it('rejects text that is not JSON', () => {
    expect(decodeFrame('{nope')).toMatchObject({
      ok: false,
      code: 'BAD_FRAME',
      message: 'frame is not valid JSON',
    });
  });

  it('rejects JSON that is not an object', () => {
    for (const text of ['[]', '1', 'null', '"x"']) {
      expect(decodeFrame(text)).toMatchObject({ ok: false, code: 'BAD_FRAME' });
    }
  });

  it('rejects an object without a string type', () => {
    expect(decodeFrame('{"type":3}')).toMatchObject({
      ok: false,
      message: 'frame needs a string field "type"',
    });
    expect(decodeFrame('{}')).toMatchObject({ ok: false, code: 'BAD_FRAME' });
  });

  it('names the field that is wrong and echoes the batch seq as ref', () => {
    const r = decodeFrame('{"type":"batch","seq":7,"batches":{"check_in":"x"}}');
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.ref).toBe(7);
      expect(r.message).toContain('batches.check_in');
    }
  });

  it('never echoes a long type name in full', () => {
    const r = decodeFrame(JSON.stringify({ type: 't'.repeat(100_000), id: 'a' }));
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.message.length).toBeLessThan(300);
    const v = validateMessage('u'.repeat(100_000), {});
    expect(!v.ok && v.message.length).toBeLessThan(100);
  });

  it('accepts a batch frame without checking message data', () => {
    const r = decodeFrame('{"type":"batch","seq":1,"batches":{"check_in":[{"id":"a","data":{}}]}}');
    expect(r.ok).toBe(true);
  });

  it('accepts a single message frame of any type name', () => {
    const r = decodeFrame('{"type":"check_in","id":"01J","data":{"memberId":"m_1"}}');
    expect(r).toMatchObject({ ok: true, frame: { type: 'check_in', id: '01J' } });
  });

  it('marks a single message with single: true and lets control frames narrow on type', () => {
    const single = decodeFrame('{"type":"ping_me","id":"a","data":1}');
    expect(single).toEqual({ ok: true, single: true, frame: { type: 'ping_me', id: 'a', data: 1 } });
    const ping = decodeFrame('{"type":"ping","ts":5}');
    if (!ping.ok || ping.single || ping.frame.type !== 'ping') throw new Error('not a ping');
    expect(ping.frame.ts).toBe(5);
    const sub = decodeFrame('{"type":"unsubscribe","topics":["*"]}');
    expect(sub.ok && !sub.single && sub.frame.type === 'unsubscribe' && sub.frame.topics).toEqual(['*']);
  });

  it('rejects a ping without ts and a subscribe to an unknown topic', () => {
    expect(decodeFrame('{"type":"ping"}').ok).toBe(false);
    expect(decodeFrame('{"type":"subscribe","topics":["weather"]}').ok).toBe(false);
  });

  it('refuses a frame nested deeper than 32 levels before parsing it', () => {
    const deep = `${'['.repeat(100_000)}${']'.repeat(100_000)}`;
    const frame = `{"type":"batch","seq":1,"batches":{"client_stats":[{"id":"s1","data":{"batching":${deep}}}]}}`;
    expect(decodeFrame(frame)).toEqual({
      ok: false,
      code: 'BAD_FRAME',
      message: 'frame nests deeper than 32 levels',
    });
    const single = `{"type":"client_stats","id":"s1","data":${deep}}`;
    expect(decodeFrame(single)).toMatchObject({ ok: false, code: 'BAD_FRAME' });
  });

  it('accepts a frame exactly 32 levels deep, and brackets inside strings', () => {
    // frame 1, batches 2, the type's array 3, item 4: data may nest 28 levels.
    const data = `${'['.repeat(28)}${']'.repeat(28)}`;
    const frame = `{"type":"batch","seq":1,"batches":{"x":[{"id":"a","data":${data}}]}}`;
    expect(decodeFrame(frame).ok).toBe(true);
    expect(decodeFrame(frame.replace(data, `[${data}]`)).ok).toBe(false);
    const text = JSON.stringify({ type: 'check_in', id: 'a', data: { memberId: '['.repeat(40) } });
    expect(decodeFrame(text).ok).toBe(true);
  });

  it('never throws on arbitrary input', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.json()), (text) => {
        const r = decodeFrame(text);
        expect(typeof r.ok).toBe('boolean');
      }),
      { numRuns: 500 },
    );
  });
});

describe('validateMessage', () => {
  it('accepts a valid check_in', () => {
    expect(validateMessage('check_in', { memberId: 'm_1', deskId: 'desk-1' })).toMatchObject({ ok: true });
  });

  it('rejects unknown fields and missing ones with VALIDATION_FAILED', () => {
    expect(validateMessage('check_in', { memberId: 'm_1', extra: 1 })).toMatchObject({
      ok: false,
      code: 'VALIDATION_FAILED',
    });
    expect(validateMessage('check_out', {})).toMatchObject({ ok: false, code: 'VALIDATION_FAILED' });
  });

  it('keeps the reason short when it would quote long client keys', () => {
    const key = 'k'.repeat(100_000);
    const r = validateMessage('check_in', { memberId: 'm_1', [key]: 1, other: 2 });
    expect(r).toMatchObject({ ok: false, code: 'VALIDATION_FAILED' });
    if (!r.ok) {
      expect(r.message.length).toBeLessThanOrEqual(200);
      expect(r.message).toMatch(/^Unrecognized keys: "kkk.*\.\.\.$/);
    }
    expect(validateMessage('check_in', { memberId: 'm_1', 'a\u0000b': 1 })).toMatchObject({
      message: 'Unrecognized key: "a?b"',
    });
    const nested = validateMessage('client_stats', { batching: { [key]: { deep: 1 } } });
    expect(!nested.ok && nested.message.length).toBeLessThanOrEqual(200);
  });

  it('rejects an unknown type with UNKNOWN_TYPE, including prototype names', () => {
    expect(validateMessage('teleport', {})).toMatchObject({ ok: false, code: 'UNKNOWN_TYPE' });
    expect(validateMessage('__proto__', {})).toMatchObject({ ok: false, code: 'UNKNOWN_TYPE' });
    expect(validateMessage('toString', {})).toMatchObject({ ok: false, code: 'UNKNOWN_TYPE' });
  });

  it('requires member_update changes to name a field', () => {
    expect(validateMessage('member_update', { memberId: 'm_1', changes: {} })).toMatchObject({ ok: false });
    expect(
      validateMessage('member_update', { memberId: 'm_1', changes: { phone: '555-0101' } }),
    ).toMatchObject({
      ok: true,
    });
  });

  it('checks member_create dates and emails', () => {
    const base = { name: 'Ada Lovelace', plan: 'premium', expiresAt: '2027-01-31' };
    expect(validateMessage('member_create', base).ok).toBe(true);
    expect(validateMessage('member_create', { ...base, expiresAt: '31/01/2027' }).ok).toBe(false);
    expect(validateMessage('member_create', { ...base, email: 'not-an-email' }).ok).toBe(false);
    expect(validateMessage('member_create', { ...base, plan: 'platinum' }).ok).toBe(false);
  });

  it('strips unknown client_stats fields and keeps the known ones', () => {
    expect(
      validateMessage('client_stats', {
        quality: { score: 90, latency: 100, dropRate: 100, stability: 60, extra: 1 },
        x: 1,
      }),
    ).toEqual({
      ok: true,
      type: 'client_stats',
      data: { quality: { score: 90, latency: 100, dropRate: 100, stability: 60 } },
    });
  });

  describe('client-given times, given the server clock', () => {
    const now = Date.UTC(2026, 10, 26, 15, 0);

    it('accepts `at` from 7 days behind to 5 minutes ahead', () => {
      for (const at of [now, now - 7 * 86_400_000, now + 5 * 60_000]) {
        expect(validateMessage('check_in', { memberId: 'm_1', at }, { now }).ok).toBe(true);
        expect(validateMessage('check_out', { memberId: 'm_1', at }, { now }).ok).toBe(true);
      }
    });

    it('refuses `at` outside the window with VALIDATION_FAILED naming the field and the window', () => {
      expect(validateMessage('check_in', { memberId: 'm_1', at: now + 5 * 60_000 + 1 }, { now })).toEqual({
        ok: false,
        code: 'VALIDATION_FAILED',
        message: "at: must be at most 5 min ahead of and 7 d behind the server's clock (it is 5 min ahead)",
      });
      const old = validateMessage('check_out', { memberId: 'm_1', at: now - 8 * 86_400_000 }, { now });
      expect(old).toMatchObject({
        ok: false,
        code: 'VALIDATION_FAILED',
        message: expect.stringMatching(/^at: .*8 d behind/),
      });
    });

    it('takes the window from the options', () => {
      const clientTimeWindow = { maxFutureMs: 1_000, maxPastMs: 60_000 };
      expect(
        validateMessage('check_in', { memberId: 'm_1', at: now + 2_000 }, { now, clientTimeWindow }).ok,
      ).toBe(false);
      expect(
        validateMessage('check_in', { memberId: 'm_1', at: now - 61_000 }, { now, clientTimeWindow }).ok,
      ).toBe(false);
      expect(
        validateMessage('check_in', { memberId: 'm_1', at: now - 59_000 }, { now, clientTimeWindow }).ok,
      ).toBe(true);
    });

    it('checks no window without `now` (a client validating its own messages)', () => {
      expect(validateMessage('check_in', { memberId: 'm_1', at: now + 86_400_000 }).ok).toBe(true);
    });
  });
});

describe('orderedItems', () => {
  const batches = { check_in: ['i1', 'i2'], check_out: ['o1'] };

  it('follows the order hint across types', () => {
    const out = orderedItems({
      batches,
      order: [
        ['check_in', 1],
        ['check_out', 1],
        ['check_in', 1],
      ],
    });
    expect(out.map((x) => x.item)).toEqual(['i1', 'o1', 'i2']);
  });

  it('falls back to key order, then array order', () => {
    expect(orderedItems({ batches }).map((x) => x.item)).toEqual(['i1', 'i2', 'o1']);
  });

  it('never skips or doubles an item whatever the hint says', () => {
    fc.assert(
      fc.property(
        fc.dictionary(fc.constantFrom('a', 'b', 'c'), fc.array(fc.integer(), { maxLength: 5 })),
        fc.array(fc.tuple(fc.constantFrom('a', 'b', 'c', 'zz'), fc.integer({ min: 1, max: 4 })), {
          maxLength: 8,
        }),
        (b, order) => {
          const out = orderedItems({ batches: b, order });
          expect(out.length).toBe(batchSize({ batches: b }));
          for (const [type, list] of Object.entries(b)) {
            expect(out.filter((x) => x.type === type).map((x) => x.item)).toEqual(list);
          }
        },
      ),
    );
  });
});
