import type * as z from 'zod';
import {
  BatchFrame,
  type ControlFrame,
  HelloFrame,
  PingFrame,
  SingleMessageFrame,
  SubscribeFrame,
} from './frames.js';
import { jsonDepthExceeds } from './json-depth.js';
import { type ClientTimeWindow, DEFAULT_CLIENT_TIME_WINDOW, MAX_JSON_DEPTH } from './limits.js';
import {
  CLIENT_TIME_FIELDS,
  MESSAGE_SCHEMAS,
  type MessageDataMap,
  type MessageType,
} from './messages/index.js';

/** Why a client frame was refused: answered with an `error` frame, `ref` when readable. */
export type DecodeFailure = { ok: false; code: 'BAD_FRAME'; message: string; ref?: number | string };

export type DecodeResult<T> = { ok: true; frame: T } | DecodeFailure;

/**
 * What {@link decodeFrame} makes of a client frame. A frame the protocol names narrows on
 * `frame.type`; a single logical message (whose `type` is any message type name, so it could
 * not narrow) is told apart by `single: true`.
 */
export type DecodedClientFrame =
  | { ok: true; frame: ControlFrame; single?: undefined }
  | { ok: true; frame: SingleMessageFrame; single: true }
  | DecodeFailure;

/** Longest reason text: a reason may quote client keys (`Unrecognized key: "..."`) and is stored with the outcome. */
const MAX_REASON_LENGTH = 200;

/** The first issue of `error` as one short line: `path: message`, clipped. */
export function issueText(error: z.ZodError): string {
  const first = error.issues[0];
  if (!first) return 'invalid';
  const path = first.path.length > 0 ? `${first.path.map((p) => clip(String(p), 64)).join('.')}: ` : '';
  return clip(`${path}${first.message}`, MAX_REASON_LENGTH);
}

/** Control characters, shown as `?` in reasons (a reason may quote a client key, and is stored). */
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point
const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f]/g;

/** `text` with control characters shown as `?`, cut to `max` characters. */
export function clip(text: string, max: number): string {
  const shown = text.replace(CONTROL_CHARACTERS, '?');
  return shown.length <= max ? shown : `${shown.slice(0, max - 3)}...`;
}

function refOf(value: Record<string, unknown>): number | string | undefined {
  const ref = value.seq ?? value.id;
  return typeof ref === 'number' || typeof ref === 'string' ? ref : undefined;
}

/**
 * Parses one inbound text frame of a client. Never throws: anything that is not a
 * well-formed frame comes back as `BAD_FRAME` with a readable reason. Message `data` of a
 * batch is not checked here (see {@link validateMessage}) so one bad message never spoils
 * its neighbours. A frame nested deeper than {@link MAX_JSON_DEPTH} is refused before parsing.
 */
export function decodeFrame(text: string): DecodedClientFrame {
  if (jsonDepthExceeds(text, MAX_JSON_DEPTH)) {
    return { ok: false, code: 'BAD_FRAME', message: `frame nests deeper than ${MAX_JSON_DEPTH} levels` };
  }
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
  switch (obj.type) {
    case 'hello':
      return control(HelloFrame, obj, obj.type);
    case 'batch':
      return control(BatchFrame, obj, obj.type);
    case 'ping':
      return control(PingFrame, obj, obj.type);
    case 'subscribe':
    case 'unsubscribe':
      return control(SubscribeFrame, obj, obj.type);
    default: {
      const parsed = SingleMessageFrame.safeParse(obj);
      return parsed.success
        ? { ok: true, frame: parsed.data, single: true }
        : refusal(obj, obj.type, parsed.error);
    }
  }
}

function control<T extends ControlFrame>(
  schema: z.ZodType<T>,
  obj: Record<string, unknown>,
  type: string,
): DecodedClientFrame {
  const parsed = schema.safeParse(obj);
  return parsed.success ? { ok: true, frame: parsed.data } : refusal(obj, type, parsed.error);
}

function refusal(obj: Record<string, unknown>, type: string, error: z.ZodError): DecodeFailure {
  const ref = refOf(obj);
  return {
    ok: false,
    code: 'BAD_FRAME',
    message: `bad ${clip(type, 64)} frame: ${issueText(error)}`,
    ...(ref === undefined ? {} : { ref }),
  };
}

export type ValidationResult<T extends MessageType = MessageType> =
  | { ok: true; type: T; data: MessageDataMap[T] }
  | { ok: false; code: 'VALIDATION_FAILED' | 'UNKNOWN_TYPE'; message: string };

export interface ValidateOptions {
  /**
   * The server's clock (ms). When given, client-given times (`check_in.at`, `check_out.at`)
   * must lie within `clientTimeWindow` around it.
   */
  now?: number;
  /** Default {@link DEFAULT_CLIENT_TIME_WINDOW}: 5 min ahead, 7 days behind. */
  clientTimeWindow?: ClientTimeWindow;
}

/**
 * Checks one logical message's `data` against its type's schema and, given `now`, its
 * client-given times against the server's clock. Never throws.
 * @example
 * validateMessage('check_in', { memberId: 'm_1', at: 9e15 }, { now: Date.now() }); // VALIDATION_FAILED naming `at`
 */
export function validateMessage(
  type: string,
  data: unknown,
  options: ValidateOptions = {},
): ValidationResult {
  if (!Object.hasOwn(MESSAGE_SCHEMAS, type)) {
    return { ok: false, code: 'UNKNOWN_TYPE', message: `unknown message type "${clip(type, 64)}"` };
  }
  const t = type as MessageType;
  const parsed = MESSAGE_SCHEMAS[t].safeParse(data);
  if (!parsed.success) return { ok: false, code: 'VALIDATION_FAILED', message: issueText(parsed.error) };
  if (options.now !== undefined) {
    const late = outsideWindow(
      t,
      parsed.data,
      options.now,
      options.clientTimeWindow ?? DEFAULT_CLIENT_TIME_WINDOW,
    );
    if (late) return { ok: false, code: 'VALIDATION_FAILED', message: late };
  }
  return { ok: true, type: t, data: parsed.data as MessageDataMap[MessageType] };
}

/** `ms` in the largest unit it reaches, to one decimal: `7 d`, `5 min`, `1.5 s`, `80 ms`. */
function duration(ms: number): string {
  const units: [number, string][] = [
    [86_400_000, 'd'],
    [3_600_000, 'h'],
    [60_000, 'min'],
    [1_000, 's'],
  ];
  for (const [size, unit] of units) if (ms >= size) return `${Math.round((ms / size) * 10) / 10} ${unit}`;
  return `${ms} ms`;
}

/** Why a client-given time of `data` is too far from `now`, or undefined when none is. */
function outsideWindow(
  type: MessageType,
  data: unknown,
  now: number,
  window: ClientTimeWindow,
): string | undefined {
  for (const field of CLIENT_TIME_FIELDS[type] ?? []) {
    const at = (data as Record<string, unknown>)[field];
    if (typeof at !== 'number') continue;
    if (at > now + window.maxFutureMs || at < now - window.maxPastMs) {
      const off = at > now ? `${duration(at - now)} ahead` : `${duration(now - at)} behind`;
      return (
        `${field}: must be at most ${duration(window.maxFutureMs)} ahead of and ` +
        `${duration(window.maxPastMs)} behind the server's clock (it is ${off})`
      );
    }
  }
  return undefined;
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
