import * as z from 'zod';
import { TopicName } from './events.js';
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
  /** Extension: ack formats the client reads, preferred first (`compact-deflate`, `compact`, `full`). */
  acks: z.array(z.string().max(32)).max(8).optional(),
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

/** The frames the protocol names by their `type`: a union that narrows on `type`. */
export type ControlFrame = HelloFrame | BatchFrame | PingFrame | SubscribeFrame;
/** Every client frame; a {@link SingleMessageFrame}'s `type` is any message type name. */
export type ClientFrame = ControlFrame | SingleMessageFrame;

// Server to client: server-frames.ts.

/**
 * Extension: ack formats a client may ask for in `hello.acks`, preferred first (docs/protocol.md
 * 2.8). `full` is today's batch ack (every id by name); `compact` names messages by their place in
 * the batch instead (the client knows the ids it sent under that `seq`); `compact-deflate` is
 * `compact`, and an ack frame of `COMPACT_DEFLATE_MIN_BYTES` (compact-ack.ts) or more JSON comes as a binary
 * frame holding its raw DEFLATE.
 */
export const ACK_FORMATS = ['compact-deflate', 'compact', 'full'] as const;
export type AckFormat = (typeof ACK_FORMATS)[number];
