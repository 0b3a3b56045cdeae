import * as z from 'zod';
import { FRAME_ERROR_CODES, type FrameErrorCode, MESSAGE_CODES, type MessageCode } from './codes.js';
import { type EventFrame, TopicName } from './events.js';
import { MessageId } from './messages/common.js';

// ---------- client to server ----------

export const CODECS = ['json', 'deflate-raw'] as const;
export type Codec = (typeof CODECS)[number];

export const HelloFrame = z.object({
  type: z.literal('hello'),
  token: z.string().max(512).optional(),
  clientId: z.string().min(1).max(128),
  topics: z.array(TopicName).max(16).optional(),
  resume: z.object({ lastEventSeq: z.number().int().nonnegative() }).optional(),
  codecs: z.array(z.string().max(32)).max(8).optional(),
});
export type HelloFrame = z.infer<typeof HelloFrame>;

/** A logical message inside a batch: the envelope only; `data` is checked per type. */
export const BatchItem = z.object({ id: MessageId, data: z.unknown() });
export type BatchItem = z.infer<typeof BatchItem>;

/**
 * Order hint (extension): the client's enqueue order as runs of `[type, count]`, taken in
 * turn from the front of each type's array. Absent: the order of the `batches` keys, then
 * array order.
 */
export const BatchOrder = z
  .array(z.tuple([z.string().min(1).max(64), z.number().int().positive()]))
  .max(10_000);
export type BatchOrder = z.infer<typeof BatchOrder>;

export const BatchFrame = z.object({
  type: z.literal('batch'),
  seq: z.number().int().nonnegative(),
  batches: z.record(z.string().min(1).max(64), z.array(z.unknown())),
  order: BatchOrder.optional(),
});
export type BatchFrame = z.infer<typeof BatchFrame>;

/** One logical message alone (batching off): `{"type":"check_in","id":..,"data":{..}}`. */
export const SingleMessageFrame = z.object({
  type: z.string().min(1).max(64),
  id: MessageId,
  data: z.unknown(),
});
export type SingleMessageFrame = z.infer<typeof SingleMessageFrame>;

export const PingFrame = z.object({ type: z.literal('ping'), ts: z.number() });
export type PingFrame = z.infer<typeof PingFrame>;

export const SubscribeFrame = z.object({
  type: z.enum(['subscribe', 'unsubscribe']),
  topics: z.array(TopicName).min(1).max(16),
});
export type SubscribeFrame = z.infer<typeof SubscribeFrame>;

export type ClientFrame = HelloFrame | BatchFrame | PingFrame | SubscribeFrame | SingleMessageFrame;

// ---------- server to client ----------

export interface WelcomeFrame {
  type: 'welcome';
  sessionId: string;
  serverTime: number;
  /** The newest event seq at the moment of welcome. */
  eventSeq: number;
  resumed: boolean;
  limits: { maxFrameBytes: number; maxBatchSize: number; maxInFlight: number };
  /** Extension: the codec chosen from `hello.codecs` (default `json`). */
  codec?: Codec;
}

export interface Rejection {
  id: string;
  code: MessageCode;
  message: string;
  /** Extension: e.g. the current member on VERSION_CONFLICT. */
  data?: unknown;
}

/** Outcome of one type's messages in a batch; every id appears in exactly one list. */
export interface TypeResult {
  accepted: string[];
  /** Ids applied before (an earlier frame or earlier in this one): accepted then, nothing changed now. */
  duplicates?: string[];
  rejected?: Rejection[];
  /** Extension: per accepted id, what the write produced (visitId, memberId, version). */
  info?: Record<string, Record<string, unknown>>;
}

export interface BatchAckFrame {
  type: 'ack';
  seq: number;
  results: Record<string, TypeResult>;
}

export interface SingleAckFrame {
  type: 'ack';
  id: string;
  ok: boolean;
  code?: MessageCode;
  message?: string;
  duplicate?: boolean;
  data?: unknown;
  info?: Record<string, unknown>;
}

export interface EventsFrame {
  type: 'events';
  from: number;
  to: number;
  events: EventFrame[];
}

export interface PongFrame {
  type: 'pong';
  ts: number;
  serverTime: number;
}

export interface ErrorFrame {
  type: 'error';
  code: FrameErrorCode;
  message: string;
  ref?: number | string;
}

export type ServerFrame =
  | WelcomeFrame
  | BatchAckFrame
  | SingleAckFrame
  | EventFrame
  | EventsFrame
  | PongFrame
  | ErrorFrame;

export const isKnownMessageCode = (code: string): code is MessageCode => Object.hasOwn(MESSAGE_CODES, code);
export const isKnownFrameErrorCode = (code: string): code is FrameErrorCode =>
  Object.hasOwn(FRAME_ERROR_CODES, code);
