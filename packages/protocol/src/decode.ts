import type * as z from 'zod';
import {
  BatchFrame,
  type ClientFrame,
  HelloFrame,
  PingFrame,
  SingleMessageFrame,
  SubscribeFrame,
} from './frames.js';
import { MESSAGE_SCHEMAS, type MessageDataMap, type MessageType } from './messages/index.js';

export type DecodeResult<T> =
  | { ok: true; frame: T }
  | { ok: false; code: 'BAD_FRAME'; message: string; ref?: number | string };

function issueText(error: z.ZodError): string {
  const first = error.issues[0];
  if (!first) return 'invalid';
  const path = first.path.length > 0 ? `${first.path.join('.')}: ` : '';
  return `${path}${first.message}`;
}

function refOf(value: Record<string, unknown>): number | string | undefined {
  const ref = value.seq ?? value.id;
  return typeof ref === 'number' || typeof ref === 'string' ? ref : undefined;
}

/**
 * Parses one inbound text frame of a client. Never throws: anything that is not a
 * well-formed frame comes back as `BAD_FRAME` with a readable reason. Message `data` of a
 * batch is not checked here (see {@link validateMessage}) so one bad message never spoils
 * its neighbours.
 */
export function decodeFrame(text: string): DecodeResult<ClientFrame> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { ok: false, code: 'BAD_FRAME', message: 'frame is not valid JSON' };
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    return { ok: false, code: 'BAD_FRAME', message: 'frame must be a JSON object' };
  }
  const obj = value as Record<string, unknown>;
  if (typeof obj.type !== 'string' || obj.type.length === 0) {
    return { ok: false, code: 'BAD_FRAME', message: 'frame needs a string field "type"' };
  }
  const schema = frameSchema(obj.type);
  const parsed = schema.safeParse(obj);
  if (!parsed.success) {
    const ref = refOf(obj);
    return {
      ok: false,
      code: 'BAD_FRAME',
      message: `bad ${obj.type} frame: ${issueText(parsed.error)}`,
      ...(ref === undefined ? {} : { ref }),
    };
  }
  return { ok: true, frame: parsed.data as ClientFrame };
}

function frameSchema(type: string): z.ZodType {
  switch (type) {
    case 'hello':
      return HelloFrame;
    case 'batch':
      return BatchFrame;
    case 'ping':
      return PingFrame;
    case 'subscribe':
    case 'unsubscribe':
      return SubscribeFrame;
    default:
      return SingleMessageFrame;
  }
}

export type ValidationResult<T extends MessageType = MessageType> =
  | { ok: true; type: T; data: MessageDataMap[T] }
  | { ok: false; code: 'VALIDATION_FAILED' | 'UNKNOWN_TYPE'; message: string };

/** Checks one logical message's `data` against its type's schema. Never throws. */
export function validateMessage(type: string, data: unknown): ValidationResult {
  if (!Object.hasOwn(MESSAGE_SCHEMAS, type)) {
    return { ok: false, code: 'UNKNOWN_TYPE', message: `unknown message type "${type}"` };
  }
  const t = type as MessageType;
  const parsed = MESSAGE_SCHEMAS[t].safeParse(data);
  if (!parsed.success) return { ok: false, code: 'VALIDATION_FAILED', message: issueText(parsed.error) };
  return { ok: true, type: t, data: parsed.data as MessageDataMap[MessageType] };
}

/**
 * The messages of a batch frame in the order the client enqueued them: follows `order`
 * when given and consistent, else the key order of `batches` then array order. Items not
 * covered by a short `order` follow in key order, so nothing is ever skipped.
 */
export function orderedItems(
  frame: Pick<BatchFrame, 'batches' | 'order'>,
): { type: string; item: unknown }[] {
  const out: { type: string; item: unknown }[] = [];
  const taken = new Map<string, number>();
  for (const [type, count] of frame.order ?? []) {
    const list = Object.hasOwn(frame.batches, type) ? frame.batches[type] : undefined;
    if (!list) continue;
    const start = taken.get(type) ?? 0;
    const end = Math.min(list.length, start + count);
    for (let i = start; i < end; i++) out.push({ type, item: list[i] });
    taken.set(type, end);
  }
  for (const [type, list] of Object.entries(frame.batches)) {
    for (let i = taken.get(type) ?? 0; i < list.length; i++) out.push({ type, item: list[i] });
  }
  return out;
}

/** Counts the logical messages of a batch frame. */
export function batchSize(frame: Pick<BatchFrame, 'batches'>): number {
  let n = 0;
  for (const list of Object.values(frame.batches)) n += list.length;
  return n;
}
