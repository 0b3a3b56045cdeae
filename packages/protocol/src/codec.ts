import { CODECS, type Codec } from './frames.js';
import { DEFAULT_LIMITS } from './limits.js';

/**
 * The `deflate-raw` codec (negotiated in `hello.codecs`, confirmed in `welcome.codec`): a client
 * MAY then send any client frame as a BINARY WebSocket frame whose payload is the raw DEFLATE
 * (RFC 1951, no zlib or gzip header) of the frame's UTF-8 JSON. Text frames stay valid; server to
 * client stays JSON text. Without the codec a binary frame is answered `error BAD_FRAME`.
 */
export const DEFLATE_RAW: Codec = 'deflate-raw';

/**
 * Frames whose JSON is at least this many UTF-8 bytes are worth compressing (default 1024): a
 * smaller one saves little and would wait for the compressor, so it goes as text.
 */
export const COMPRESS_MIN_BYTES = 1024;

/**
 * Largest inflated payload of a binary frame: the same bound as a text frame
 * (`limits.maxFrameBytes`). A frame inflating past it closes the connection with 1009.
 */
export const MAX_INFLATED_BYTES = DEFAULT_LIMITS.maxFrameBytes;

/**
 * The codec a server answers in `welcome.codec` for the list a client offered in `hello.codecs`:
 * `deflate-raw` when offered (the server supports it), else `json`.
 * @example
 * negotiateCodec(['deflate-raw', 'json']); // 'deflate-raw'
 * negotiateCodec(undefined); // 'json'
 */
export function negotiateCodec(
  offered: readonly string[] | undefined,
  supported: readonly Codec[] = CODECS,
): Codec {
  if (offered?.includes(DEFLATE_RAW) && supported.includes(DEFLATE_RAW)) return DEFLATE_RAW;
  return 'json';
}
