import { describe, expect, it } from 'vitest';
import { EARLY_BYTES_LIMIT, EARLY_FRAME_LIMIT, EarlyFrames } from './early-frames.js';
import { MAX_PREAUTH_FRAME_BYTES, readHello } from './read-hello.js';

const text = (value: unknown) => Buffer.from(typeof value === 'string' ? value : JSON.stringify(value));

describe('readHello', () => {
  it('reads a hello', () => {
    const read = readHello(text({ type: 'hello', clientId: 'desk-1', token: 't' }), false);
    expect(read).toMatchObject({ ok: true, frame: { type: 'hello', clientId: 'desk-1' } });
  });

  it('labels every other frame from a closed set, never by its own type', () => {
    const labels = [
      readHello(text({ type: 'made-up-type-42', id: 'x' }), false),
      readHello(text('{not json'), false),
      readHello(text([1, 2]), false),
      readHello(Buffer.from([1, 2, 3]), true),
      readHello(text({ type: 'hello' }), false),
    ].map((r) => (r.ok || r.tooBig ? r : { code: r.code, label: r.label }));
    expect(labels).toEqual([
      { code: 'NOT_AUTHENTICATED', label: 'unknown' },
      { code: 'NOT_AUTHENTICATED', label: 'unknown' },
      { code: 'NOT_AUTHENTICATED', label: 'unknown' },
      { code: 'NOT_AUTHENTICATED', label: 'binary' },
      { code: 'BAD_FRAME', label: 'invalid' },
    ]);
  });

  it('refuses a frame over the pre-login size without parsing it', () => {
    const big = text({ type: 'hello', clientId: 'x'.repeat(MAX_PREAUTH_FRAME_BYTES) });
    expect(readHello(big, false)).toMatchObject({ ok: false, tooBig: true });
  });
});

describe('EarlyFrames', () => {
  it(`holds at most ${EARLY_FRAME_LIMIT} frames, in order, and empties on take`, () => {
    const early = new EarlyFrames();
    for (let i = 0; i < EARLY_FRAME_LIMIT; i++) expect(early.hold(text(`f${i}`), false)).toBe(true);
    expect(early.hold(text('one too many'), false)).toBe(false);
    const taken = early.take();
    expect(taken.map((f) => f.raw.toString())).toEqual(
      Array.from({ length: EARLY_FRAME_LIMIT }, (_, i) => `f${i}`),
    );
    expect(early.take()).toEqual([]);
  });

  it('holds at most its byte bound', () => {
    const early = new EarlyFrames();
    expect(early.hold(Buffer.alloc(EARLY_BYTES_LIMIT - 10), false)).toBe(true);
    expect(early.hold(Buffer.alloc(11), false)).toBe(false);
    expect(early.hold(Buffer.alloc(10), false)).toBe(true);
  });
});
