import { deflateRawSync, deflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { inflateFrame } from './inflate-frame.js';

describe('inflateFrame', () => {
  it('returns the UTF-8 text and its inflated size', () => {
    const text = JSON.stringify({ type: 'ping', ts: 1, note: 'café ☕'.repeat(50) });
    const r = inflateFrame(deflateRawSync(text), 1024 * 1024);
    expect(r).toEqual({ ok: true, text, inflatedBytes: Buffer.byteLength(text) });
  });

  it('refuses data that is not raw DEFLATE, truncated, or zlib-wrapped', () => {
    const full = deflateRawSync('x'.repeat(3000) + 'abcdefghij'.repeat(100));
    for (const bad of [
      Buffer.from('not deflate at all'),
      full.subarray(0, 20),
      deflateSync('{"type":"ping"}'),
    ]) {
      expect(inflateFrame(bad, 1024 * 1024)).toMatchObject({ ok: false, tooLarge: false });
    }
  });

  it('stops a bomb at the bound instead of inflating it', () => {
    const bomb = deflateRawSync(Buffer.alloc(8 * 1024 * 1024));
    expect(bomb.length).toBeLessThan(10_000);
    const r = inflateFrame(bomb, 1024 * 1024);
    expect(r).toMatchObject({ ok: false, tooLarge: true });
  });

  it('accepts a payload that inflates to exactly the bound', () => {
    const r = inflateFrame(deflateRawSync(Buffer.alloc(4096, 0x61)), 4096);
    expect(r).toMatchObject({ ok: true, inflatedBytes: 4096 });
  });
});
