import { inflateRawSync } from 'node:zlib';

/** What a binary `deflate-raw` frame held. */
export type InflateResult =
  | { ok: true; text: string; inflatedBytes: number }
  /** `tooLarge`: it inflates past the bound (the connection closes 1009); else it is not valid raw DEFLATE. */
  | { ok: false; tooLarge: boolean; message: string };

/**
 * Inflates the payload of a binary frame under the `deflate-raw` codec. zlib stops at
 * `maxInflatedBytes`, so a small bomb costs at most that much memory, never more.
 */
export function inflateFrame(payload: Buffer, maxInflatedBytes: number): InflateResult {
  let out: Buffer;
  try {
    out = inflateRawSync(payload, { maxOutputLength: maxInflatedBytes });
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    if (code === 'ERR_BUFFER_TOO_LARGE' || error instanceof RangeError) {
      return {
        ok: false,
        tooLarge: true,
        message: `frame inflates past maxFrameBytes (${maxInflatedBytes})`,
      };
    }
    return { ok: false, tooLarge: false, message: 'binary frame is not valid deflate-raw data' };
  }
  return { ok: true, text: out.toString('utf8'), inflatedBytes: out.length };
}
