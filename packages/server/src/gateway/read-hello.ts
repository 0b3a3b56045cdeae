import { HelloFrame } from '@av-gym/protocol';

/** Frames before `hello` are at most this big; a larger one closes with 1009. */
export const MAX_PREAUTH_FRAME_BYTES = 16 * 1024;

/** What a frame that arrived before the session opened turned out to be. */
export type HelloRead =
  | { ok: true; frame: HelloFrame }
  /** Over {@link MAX_PREAUTH_FRAME_BYTES}: close 1009. */
  | { ok: false; tooBig: true; message: string }
  /** Anything else: answered with `code`, counted as a strike, labelled `label` in the frame metrics. */
  | {
      ok: false;
      tooBig: false;
      code: 'NOT_AUTHENTICATED' | 'BAD_FRAME';
      message: string;
      label: 'binary' | 'unknown' | 'invalid';
    };

/**
 * Reads a frame that arrived before `hello` was answered, as a `hello` and nothing else: no
 * label, key or map entry is ever made from what another frame says (its `type` included).
 */
export function readHello(raw: Buffer, isBinary: boolean): HelloRead {
  if (raw.length > MAX_PREAUTH_FRAME_BYTES) {
    return {
      ok: false,
      tooBig: true,
      message: `frames before hello are at most ${MAX_PREAUTH_FRAME_BYTES} bytes`,
    };
  }
  if (isBinary) return refused('NOT_AUTHENTICATED', 'the first frame must be a JSON hello', 'binary');
  const value = parseJson(raw.toString('utf8'));
  if (value === null || typeof value !== 'object' || (value as { type?: unknown }).type !== 'hello') {
    return refused('NOT_AUTHENTICATED', 'the first frame must be hello', 'unknown');
  }
  const parsed = HelloFrame.safeParse(value);
  if (parsed.success) return { ok: true, frame: parsed.data };
  const issue = parsed.error.issues[0];
  const why = issue ? `${issue.path.join('.')}: ${issue.message}` : 'invalid';
  return refused('BAD_FRAME', `bad hello frame: ${why}`, 'invalid');
}

function refused(
  code: 'NOT_AUTHENTICATED' | 'BAD_FRAME',
  message: string,
  label: 'binary' | 'unknown' | 'invalid',
): HelloRead {
  return { ok: false, tooBig: false, code, message, label };
}

/** The value of a JSON text, or undefined when it is not JSON. */
function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
