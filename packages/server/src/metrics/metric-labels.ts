import { CLOSE_CODES, FRAME_ERROR_CODES, MESSAGE_CODES, MESSAGE_TYPES } from '@av-gym/protocol';

/** The label every value outside a closed set is counted under. */
export const UNKNOWN_LABEL = 'unknown';

/** Client frame types the gateway reads, plus `invalid` (undecodable) and `binary` (refused binary). */
const CLIENT_FRAME_TYPES: ReadonlySet<string> = new Set([
  'hello',
  'batch',
  'ping',
  'subscribe',
  'unsubscribe',
  'invalid',
  'binary',
  ...MESSAGE_TYPES,
]);
const SERVER_FRAME_TYPES: ReadonlySet<string> = new Set([
  'welcome',
  'ack',
  'compact_ack',
  'event',
  'events',
  'pong',
  'error',
  'goaway',
  'alert',
]);
const MESSAGE_TYPE_SET: ReadonlySet<string> = new Set(MESSAGE_TYPES);
const REJECTION_CODES: ReadonlySet<string> = new Set([
  ...Object.keys(MESSAGE_CODES),
  ...Object.keys(FRAME_ERROR_CODES),
  'TRY_AGAIN_LATER',
]);
/** Our own close codes and the standard ones a peer or `ws` may report. */
const CLOSE_CODE_SET: ReadonlySet<number> = new Set([
  ...Object.values(CLOSE_CODES),
  1002,
  1003,
  1005,
  1006,
  1007,
  1008,
  1010,
  1011,
  1012,
  1014,
  1015,
]);

const pick = (set: ReadonlySet<string>, value: string): string => (set.has(value) ? value : UNKNOWN_LABEL);

/**
 * Metric labels come from closed sets only: a value a client chose (a frame `type`, a batch key,
 * a close code) names a series only when it is one the protocol defines, else `unknown`.
 */
export const metricLabels = {
  clientFrame: (type: string) => pick(CLIENT_FRAME_TYPES, type),
  serverFrame: (type: string) => pick(SERVER_FRAME_TYPES, type),
  messageType: (type: string) => pick(MESSAGE_TYPE_SET, type),
  rejection: (code: string) => pick(REJECTION_CODES, code),
  /** A close code, or `other` for the thousands of private codes (3000-4999) a peer may send. */
  closeCode: (code: number): number | 'other' => (CLOSE_CODE_SET.has(code) ? code : 'other'),
};
