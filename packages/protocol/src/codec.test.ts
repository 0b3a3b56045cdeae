import { describe, expect, it } from 'vitest';
import { COMPRESS_MIN_BYTES, DEFLATE_RAW, MAX_INFLATED_BYTES, negotiateCodec } from './codec.js';
import { CODECS } from './frames.js';
import { DEFAULT_LIMITS } from './limits.js';

describe('codec', () => {
  describe('constants', () => {
    it('bounds an inflated frame by the frame limit', () => {
      expect(MAX_INFLATED_BYTES).toBe(DEFAULT_LIMITS.maxFrameBytes);
    });

    it('compresses from 1 KiB, well under the frame limit', () => {
      expect(COMPRESS_MIN_BYTES).toBe(1024);
      expect(COMPRESS_MIN_BYTES).toBeLessThan(MAX_INFLATED_BYTES);
    });

    it('names a codec of the protocol', () => {
      expect(CODECS).toContain(DEFLATE_RAW);
    });
  });

  describe('negotiateCodec', () => {
    it('picks deflate-raw when the client offers it, whatever its place', () => {
      expect(negotiateCodec(['deflate-raw', 'json'])).toBe('deflate-raw');
      expect(negotiateCodec(['json', 'deflate-raw'])).toBe('deflate-raw');
    });

    it('falls back to json when nothing known is offered', () => {
      expect(negotiateCodec(undefined)).toBe('json');
      expect(negotiateCodec([])).toBe('json');
      expect(negotiateCodec(['msgpack', 'json'])).toBe('json');
    });

    it('answers json when the server does not support deflate-raw', () => {
      expect(negotiateCodec(['deflate-raw'], ['json'])).toBe('json');
    });
  });
});
