import type * as z from 'zod';
import { plainAck, plainCompactAck } from './ack-fast-path.js';
import { CompactAckFrame } from './compact-ack.js';
import { clip, issueText } from './decode.js';
import { EventFrame } from './events.js';
import {
  AlertFrame,
  BatchAckFrame,
  ErrorFrame,
  EventsFrame,
  GoawayFrame,
  PongFrame,
  type ServerFrame,
  SingleAckFrame,
  WelcomeFrame,
} from './server-frames.js';

/** A server frame parsed, or why it is not one (the client ignores such a frame). */
export type DecodedServerFrame = { ok: true; frame: ServerFrame } | { ok: false; message: string };

/**
 * Parses one text frame from the server against the schema of its `type`. Never throws; a
 * frame of a type this version does not know comes back `ok: false` (a client ignores it).
 * Unknown fields are dropped and unknown codes kept (see `UnknownCode`).
 * @example
 * const r = decodeServerFrame('{"type":"pong","ts":1,"serverTime":2}');
 * if (r.ok && r.frame.type === 'ack' && isBatchAck(r.frame)) r.frame.results;
 */
export function decodeServerFrame(text: string): DecodedServerFrame {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { ok: false, message: 'frame is not valid JSON' };
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    return { ok: false, message: 'frame must be a JSON object' };
  }
  const type: unknown = (value as { type?: unknown }).type;
  if (typeof type !== 'string') return { ok: false, message: 'frame needs a string field "type"' };
  if (type === 'ack') {
    const plain = plainAck(value as Record<string, unknown>);
    if (plain) return { ok: true, frame: plain };
  } else if (type === 'compact_ack') {
    const plain = plainCompactAck(value as Record<string, unknown>);
    if (plain) return { ok: true, frame: plain };
  }
  const schema = serverFrameSchema(type, value);
  if (!schema) return { ok: false, message: `unknown frame type "${clip(type, 64)}"` };
  const parsed = schema.safeParse(value);
  if (!parsed.success) return { ok: false, message: `bad ${type} frame: ${issueText(parsed.error)}` };
  return { ok: true, frame: parsed.data };
}

function serverFrameSchema(type: string, value: object): z.ZodType<ServerFrame> | undefined {
  switch (type) {
    case 'welcome':
      return WelcomeFrame;
    case 'ack':
      return 'seq' in value ? BatchAckFrame : SingleAckFrame;
    case 'compact_ack':
      return CompactAckFrame;
    case 'event':
      return EventFrame;
    case 'events':
      return EventsFrame;
    case 'pong':
      return PongFrame;
    case 'error':
      return ErrorFrame;
    case 'goaway':
      return GoawayFrame;
    case 'alert':
      return AlertFrame;
    default:
      return undefined;
  }
}
