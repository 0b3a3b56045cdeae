import * as z from 'zod';
import { ACK_FORMATS, type AckFormat } from './frames.js';

import { type BatchAckFrame, type Rejection, type TypeResult, WireMessageCode } from './server-frames.js';

export { ACK_FORMATS, type AckFormat };

/** Compact ack frames under this many bytes of JSON stay text under `compact-deflate`. */
export const COMPACT_DEFLATE_MIN_BYTES = 256;

/**
 * The first format of `offered` the server supports; `full` when nothing fits (an old client
 * offers nothing).
 * @example
 * negotiateAckFormat(['compact-deflate', 'compact']); // 'compact-deflate'
 * negotiateAckFormat(undefined); // 'full'
 */
export function negotiateAckFormat(
  offered: readonly string[] | undefined,
  supported: readonly AckFormat[] = ACK_FORMATS,
): AckFormat {
  for (const f of offered ?? []) if ((supported as readonly string[]).includes(f)) return f as AckFormat;
  return 'full';
}

const Index = z.number().int().nonnegative();

/** A refused message of a compact ack: its index in its type's array of the batch. */
export const CompactRejection = z.object({
  i: Index,
  code: WireMessageCode,
  message: z.string(),
  data: z.unknown().optional(),
});
export type CompactRejection = z.infer<typeof CompactRejection>;

/**
 * One type of a compact ack. `n`: how many messages of the type the batch carried; each index
 * below `n` is accepted unless listed in `dup` (applied earlier: a duplicate) or `rej`.
 * `info[i]`: what message i's write produced (null or past the end: nothing).
 */
export const CompactTypeResult = z.object({
  n: Index,
  dup: z.array(Index).optional(),
  rej: z.array(CompactRejection).optional(),
  info: z.array(z.record(z.string(), z.unknown()).nullable()).optional(),
});
export type CompactTypeResult = z.infer<typeof CompactTypeResult>;

/** Extension: the ack of a batch frame under the `compact` ack formats. */
export const CompactAckFrame = z.object({
  type: z.literal('compact_ack'),
  seq: Index,
  types: z.record(z.string(), CompactTypeResult),
});
export type CompactAckFrame = z.infer<typeof CompactAckFrame>;

type Outcome =
  | { s: 'a'; info?: Record<string, unknown> }
  | { s: 'd'; info?: Record<string, unknown> }
  | { s: 'r'; r: Rejection };

const itemId = (item: unknown, index: number): string => {
  const id = (item as { id?: unknown } | null)?.id;
  return typeof id === 'string' ? id : `#${index}`;
};

/**
 * Server side: the compact form of a batch ack. `batches` is the batch as received (each type's
 * array), `results` its full results; every index gets the outcome the full ack gives its id (an
 * id twice in one array takes its outcomes in order). An index the results leave out is refused
 * `INTERNAL` (retryable), as the full ack's client would resend it.
 */
export function compactAck(
  seq: number,
  batches: Readonly<Record<string, readonly unknown[]>>,
  results: Readonly<Record<string, TypeResult>>,
): CompactAckFrame {
  const types: Record<string, CompactTypeResult> = {};
  for (const type of Object.keys(results)) {
    const result = results[type] as TypeResult;
    const items = Object.hasOwn(batches, type) ? (batches[type] ?? []) : [];
    const byId = new Map<string, Outcome[]>();
    const push = (id: string, o: Outcome) => {
      const list = byId.get(id);
      if (list) list.push(o);
      else byId.set(id, [o]);
    };
    const infoOf = (id: string) =>
      result.info && Object.hasOwn(result.info, id) ? result.info[id] : undefined;
    for (const id of result.accepted) push(id, { s: 'a', info: infoOf(id) });
    for (const r of result.rejected ?? []) push(r.id, { s: 'r', r });
    for (const id of result.duplicates ?? []) push(id, { s: 'd', info: infoOf(id) });
    const out: CompactTypeResult = { n: items.length };
    const info: (Record<string, unknown> | null)[] = [];
    for (let i = 0; i < items.length; i++) {
      const o = byId.get(itemId(items[i], i))?.shift();
      if (o === undefined || o.s === 'r') {
        const r: Omit<Rejection, 'id'> = o?.r ?? { code: 'INTERNAL', message: 'the message got no outcome' };
        out.rej ??= [];
        out.rej.push(
          r.data === undefined
            ? { i, code: r.code, message: r.message }
            : { i, code: r.code, message: r.message, data: r.data },
        );
        continue;
      }
      if (o.s === 'd') {
        out.dup ??= [];
        out.dup.push(i);
      }
      if (o.info !== undefined) {
        while (info.length < i) info.push(null);
        info.push(o.info);
      }
    }
    if (info.length > 0) out.info = info;
    types[type] = out;
  }
  return { type: 'compact_ack', seq, types };
}

/**
 * Client side: the full batch ack a compact one stands for, given the ids the client sent in
 * that batch, per type in frame order. An index the ack does not cover (a type it leaves out, or
 * past its `n`) is left out of the result too, so the client resends it as for a full ack.
 */
export function expandCompactAck(
  frame: CompactAckFrame,
  sent: Readonly<Record<string, readonly string[]>>,
): BatchAckFrame {
  const results: Record<string, TypeResult> = {};
  for (const type of Object.keys(frame.types)) {
    if (!Object.hasOwn(sent, type)) continue;
    const ids = sent[type] ?? [];
    const c = frame.types[type] as CompactTypeResult;
    const n = Math.min(c.n, ids.length);
    const dup = new Set(c.dup);
    const rej = new Map<number, CompactRejection>();
    for (const r of c.rej ?? []) if (!rej.has(r.i)) rej.set(r.i, r);
    const result: TypeResult = { accepted: [] };
    for (let i = 0; i < n; i++) {
      const id = ids[i] as string;
      const r = rej.get(i);
      if (r !== undefined) {
        result.rejected ??= [];
        result.rejected.push(
          r.data === undefined
            ? { id, code: r.code, message: r.message }
            : { id, code: r.code, message: r.message, data: r.data },
        );
        continue;
      }
      if (dup.has(i)) {
        result.duplicates ??= [];
        result.duplicates.push(id);
      } else result.accepted.push(id);
      const info = c.info?.[i];
      if (info) {
        result.info ??= Object.create(null) as Record<string, Record<string, unknown>>;
        result.info[id] = info;
      }
    }
    results[type] = result;
  }
  return { type: 'ack', seq: frame.seq, results };
}
