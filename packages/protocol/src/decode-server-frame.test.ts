import { describe, expect, it } from 'vitest';
import { decodeServerFrame } from './decode-server-frame.js';
import { isBatchAck, isKnownMessageCode } from './server-frames.js';

const ok = (frame: object) => decodeServerFrame(JSON.stringify(frame));

describe('decodeServerFrame', () => {
  it('parses a welcome, with and without the codec extension', () => {
    const welcome = {
      type: 'welcome',
      sessionId: 's',
      serverTime: 1,
      eventSeq: 0,
      resumed: false,
      limits: { maxFrameBytes: 1048576, maxBatchSize: 500, maxInFlight: 16 },
    };
    expect(ok(welcome)).toEqual({ ok: true, frame: welcome });
    expect(ok({ ...welcome, codec: 'deflate-raw' })).toMatchObject({
      ok: true,
      frame: { codec: 'deflate-raw' },
    });
    expect(ok({ ...welcome, limits: {} }).ok).toBe(false);
  });

  it('parses a goaway reconnect hint and refuses one outside its bounds', () => {
    const goaway = { type: 'goaway', reconnectMinMs: 500, reconnectMaxMs: 5000 };
    expect(ok(goaway)).toEqual({ ok: true, frame: goaway });
    expect(ok({ ...goaway, reconnectMaxMs: 600_001 }).ok).toBe(false);
    expect(ok({ ...goaway, reconnectMinMs: -1 }).ok).toBe(false);
    expect(ok({ type: 'goaway' }).ok).toBe(false);
  });

  it('tells a batch ack from a single ack and narrows both', () => {
    const batch = ok({
      type: 'ack',
      seq: 17,
      results: {
        check_in: { accepted: ['a'], info: { a: { visitId: 'v' } } },
        member_update: {
          accepted: [],
          rejected: [{ id: 'b', code: 'VERSION_CONFLICT', message: 'm', data: { version: 4 } }],
        },
      },
    });
    expect(batch.ok && batch.frame.type === 'ack' && isBatchAck(batch.frame) && batch.frame.seq).toBe(17);
    const single = ok({ type: 'ack', id: 'x', ok: false, code: 'ALREADY_CHECKED_IN', message: 'm' });
    if (!single.ok || single.frame.type !== 'ack' || isBatchAck(single.frame))
      throw new Error('not a single ack');
    expect(single.frame.ok === false && single.frame.code).toBe('ALREADY_CHECKED_IN');
    expect(ok({ type: 'ack', id: 'x', ok: true, duplicate: true })).toMatchObject({ ok: true });
    expect(ok({ type: 'ack', id: 'x', ok: false }).ok).toBe(false);
    expect(ok({ type: 'ack', seq: 1, results: { t: { rejected: [] } } }).ok).toBe(false);
  });

  it('keeps a code this version does not know (extensions add codes)', () => {
    const r = ok({ type: 'ack', id: 'x', ok: false, code: 'NEW_CODE', message: 'm' });
    expect(r).toMatchObject({ ok: true, frame: { code: 'NEW_CODE' } });
    if (r.ok && r.frame.type === 'ack' && !isBatchAck(r.frame) && !r.frame.ok) {
      expect(isKnownMessageCode(r.frame.code)).toBe(false);
    }
    expect(ok({ type: 'error', code: 'NEWER', message: 'm', ref: 3 })).toMatchObject({ ok: true });
  });

  it('parses event, events, pong and error frames', () => {
    const event = { type: 'event', seq: 1, topic: 'occupancy', name: 'occupancy.changed', at: 5, data: {} };
    expect(ok(event)).toEqual({ ok: true, frame: event });
    expect(ok({ type: 'events', from: 1, to: 2, events: [event, { ...event, seq: 2 }] }).ok).toBe(true);
    expect(ok({ type: 'events', from: 1, to: 2, events: [{ ...event, topic: 'weather' }] }).ok).toBe(false);
    expect(ok({ type: 'pong', ts: 1, serverTime: 2 })).toEqual({
      ok: true,
      frame: { type: 'pong', ts: 1, serverTime: 2 },
    });
    expect(ok({ type: 'error', code: 'BAD_FRAME', message: 'no' })).toMatchObject({ ok: true });
  });

  it('drops fields it does not know', () => {
    expect(ok({ type: 'pong', ts: 1, serverTime: 2, later: true })).toEqual({
      ok: true,
      frame: { type: 'pong', ts: 1, serverTime: 2 },
    });
  });

  it('refuses text that is not a server frame, and never throws', () => {
    expect(decodeServerFrame('{nope')).toEqual({ ok: false, message: 'frame is not valid JSON' });
    expect(decodeServerFrame('[]').ok).toBe(false);
    expect(decodeServerFrame('{"type":1}').ok).toBe(false);
    expect(decodeServerFrame('{"type":"hello"}')).toEqual({
      ok: false,
      message: 'unknown frame type "hello"',
    });
    expect(decodeServerFrame('{"type":"pong","ts":"1"}')).toMatchObject({ ok: false });
  });
});
