import * as z from 'zod';
import { FRAME_ERROR_CODES, type FrameErrorCode, MESSAGE_CODES, type MessageCode } from './codes.js';
import type { CompactAckFrame } from './compact-ack.js';
import { EventFrame } from './events.js';
import { ACK_FORMATS, CODECS } from './frames.js';
import { Alert } from './http/alerts.js';

// Every frame the server sends, as a schema; the types are inferred from them. Objects strip
// keys they do not know: a newer server's extension fields never break an older client.

/**
 * A code this version does not know yet: extensions add codes (docs/protocol.md), so a client
 * keeps working on one. Branded so that only a decoder makes one: the server can send known
 * codes alone. Narrow with {@link isKnownMessageCode} / {@link isKnownFrameErrorCode}.
 */
export const UnknownCode = z.string().brand<'UnknownCode'>();
export type UnknownCode = z.infer<typeof UnknownCode>;

const MESSAGE_CODE_NAMES = Object.keys(MESSAGE_CODES) as [MessageCode, ...MessageCode[]];
const FRAME_ERROR_CODE_NAMES = Object.keys(FRAME_ERROR_CODES) as [FrameErrorCode, ...FrameErrorCode[]];

/** A message code on the wire: a known {@link MessageCode}, or a newer one. */
export const WireMessageCode = z.union([z.enum(MESSAGE_CODE_NAMES), UnknownCode]);
export type WireMessageCode = z.infer<typeof WireMessageCode>;

/** A frame error code on the wire: a known {@link FrameErrorCode}, or a newer one. */
export const WireFrameErrorCode = z.union([z.enum(FRAME_ERROR_CODE_NAMES), UnknownCode]);
export type WireFrameErrorCode = z.infer<typeof WireFrameErrorCode>;

/** Whether `code` is a message code this version knows. */
export const isKnownMessageCode = (code: string): code is MessageCode => Object.hasOwn(MESSAGE_CODES, code);
/** Whether `code` is a frame error code this version knows. */
export const isKnownFrameErrorCode = (code: string): code is FrameErrorCode =>
  Object.hasOwn(FRAME_ERROR_CODES, code);

/** The limits a server announces in `welcome` (see `Limits`). */
export const WelcomeLimits = z.object({
  maxFrameBytes: z.number().int().positive(),
  maxBatchSize: z.number().int().positive(),
  maxInFlight: z.number().int().positive(),
});

/** The answer to an accepted `hello`: the session is open. */
export const WelcomeFrame = z.object({
  type: z.literal('welcome'),
  sessionId: z.string(),
  serverTime: z.number(),
  /** The newest event seq at the moment of welcome. */
  eventSeq: z.number().int().nonnegative(),
  resumed: z.boolean(),
  limits: WelcomeLimits,
  /** Extension: the codec chosen from `hello.codecs` (only when the hello carried `codecs`). */
  codec: z.enum(CODECS).optional(),
  /** Extension: the ack format chosen from `hello.acks` (only when the hello carried `acks`). */
  acks: z.enum(ACK_FORMATS).optional(),
});
export type WelcomeFrame = z.infer<typeof WelcomeFrame>;

/** Why one logical message was refused; travels in `ack` results. */
export const Rejection = z.object({
  id: z.string(),
  code: WireMessageCode,
  message: z.string(),
  /** Extension: e.g. the current member on VERSION_CONFLICT. */
  data: z.unknown().optional(),
});
export type Rejection = z.infer<typeof Rejection>;

/** Outcome of one type's messages in a batch; every id appears in exactly one list. */
export const TypeResult = z.object({
  accepted: z.array(z.string()),
  /** Ids applied before (an earlier frame or earlier in this one): accepted then, nothing changed now. */
  duplicates: z.array(z.string()).optional(),
  rejected: z.array(Rejection).optional(),
  /** Extension: per accepted id, what the write produced (visitId, memberId, version). */
  info: z.record(z.string(), z.record(z.string(), z.unknown())).optional(),
});
export type TypeResult = z.infer<typeof TypeResult>;

/** The ack of a `batch` frame (told from a single ack by `seq`), by message type. */
export const BatchAckFrame = z.object({
  type: z.literal('ack'),
  seq: z.number().int().nonnegative(),
  results: z.record(z.string(), TypeResult),
});
export type BatchAckFrame = z.infer<typeof BatchAckFrame>;

/** The ack of a single-message frame (told from a batch ack by `id`): `ok`, or refused with a code. */
export const SingleAckFrame = z.discriminatedUnion('ok', [
  z.object({
    type: z.literal('ack'),
    id: z.string(),
    ok: z.literal(true),
    /** Applied before: accepted then, nothing changed now. */
    duplicate: z.boolean().optional(),
    /** Extension: what the write produced. */
    info: z.record(z.string(), z.unknown()).optional(),
  }),
  z.object({
    type: z.literal('ack'),
    id: z.string(),
    ok: z.literal(false),
    code: WireMessageCode,
    message: z.string(),
    /** Extension: e.g. the current member on VERSION_CONFLICT. */
    data: z.unknown().optional(),
  }),
]);
export type SingleAckFrame = z.infer<typeof SingleAckFrame>;

/** Several events in one frame: `from` / `to` are the first and last seq in it. */
export const EventsFrame = z.object({
  type: z.literal('events'),
  from: z.number().int().nonnegative(),
  to: z.number().int().nonnegative(),
  events: z.array(EventFrame),
});
export type EventsFrame = z.infer<typeof EventsFrame>;

/** The answer to `ping`: its `ts` echoed, and the server's clock. */
export const PongFrame = z.object({ type: z.literal('pong'), ts: z.number(), serverTime: z.number() });
export type PongFrame = z.infer<typeof PongFrame>;

/** A frame-level problem; the connection stays open. `ref`: the frame's `seq` or `id` when readable. */
export const ErrorFrame = z.object({
  type: z.literal('error'),
  code: WireFrameErrorCode,
  message: z.string(),
  ref: z.union([z.number(), z.string()]).optional(),
});
export type ErrorFrame = z.infer<typeof ErrorFrame>;

/** Longest reconnect delay a `goaway` may hint (10 min); a client clamps to it. */
export const MAX_RECONNECT_HINT_MS = 600_000;

/**
 * Extension: the server is about to close this connection with `1012` (service restart, e.g. a
 * rolling deploy). Every batch received before it has been answered; reconnect after a delay
 * picked at random in `[reconnectMinMs, reconnectMaxMs]`, so a fleet does not come back at once.
 */
export const GoawayFrame = z.object({
  type: z.literal('goaway'),
  reconnectMinMs: z.number().int().min(0).max(MAX_RECONNECT_HINT_MS),
  reconnectMaxMs: z.number().int().min(0).max(MAX_RECONNECT_HINT_MS),
});
export type GoawayFrame = z.infer<typeof GoawayFrame>;

/**
 * Extension: an alert changed state (pending, firing, resolved), sent to connections subscribed
 * to the `alerts` topic. Not part of the event seq: nothing is replayed on resume (read
 * `GET /api/alerts` after a reconnect).
 */
export const AlertFrame = z.object({ type: z.literal('alert'), alert: Alert });
export type AlertFrame = z.infer<typeof AlertFrame>;

/** Either ack; narrow with {@link isBatchAck} (or `'seq' in frame`). */
export type AckFrame = BatchAckFrame | SingleAckFrame;

/** Every frame the server sends, discriminated on `type` (the two acks: see {@link AckFrame}). */
export type ServerFrame =
  | WelcomeFrame
  | AckFrame
  | CompactAckFrame
  | EventFrame
  | EventsFrame
  | PongFrame
  | ErrorFrame
  | GoawayFrame
  | AlertFrame;
export type ServerFrameType = ServerFrame['type'];

/** Whether an ack answers a batch (`seq`) rather than a single message (`id`). */
export function isBatchAck(frame: AckFrame): frame is BatchAckFrame {
  return 'seq' in frame;
}
