import type { QueuedMessage } from '../batcher/queued-message.js';
import type { Outbox } from './outbox.js';
import type { ErrorNotice } from './service-events.js';

/** What one ack did, for the service's counters. */
export interface AckTally {
  acked: number;
  rejected: number;
  /** Retryable rejections and messages the ack did not mention (both go back for a resend). */
  errors: number;
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => v !== null && typeof v === 'object' && !Array.isArray(v);
const strings = (v: unknown): string[] =>
  Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];

function count(tally: AckTally, what: ReturnType<Outbox['apply']>): void {
  if (what === 'acked') tally.acked++;
  else if (what === 'rejected') tally.rejected++;
  else if (what === 'retrying') tally.errors++;
}

/**
 * Applies a batch ack (`{type:'ack', seq, results}`): every id in `accepted` or `duplicates`
 * settles ok (a duplicate was accepted earlier), every rejection settles or retries by code,
 * and any message of the frame the ack left out is sent again (same id, so safe).
 * Returns undefined for a seq that is not in flight (a late ack from a replaced frame).
 */
export function applyBatchAck(outbox: Outbox, seq: number, results: unknown): AckTally | undefined {
  const messages = outbox.ackBatch(seq);
  if (messages === undefined) return undefined;
  const tally: AckTally = { acked: 0, rejected: 0, errors: 0 };
  const seen = new Set<string>();
  if (isObj(results)) {
    for (const result of Object.values(results)) {
      if (!isObj(result)) continue;
      const info = isObj(result.info) ? result.info : {};
      const infoOf = (id: string) => (isObj(info[id]) ? (info[id] as Obj) : undefined);
      for (const id of strings(result.accepted)) {
        seen.add(id);
        count(tally, outbox.apply(id, { kind: 'accepted', duplicate: false, info: infoOf(id) }));
      }
      for (const id of strings(result.duplicates)) {
        seen.add(id);
        count(tally, outbox.apply(id, { kind: 'accepted', duplicate: true, info: infoOf(id) }));
      }
      for (const r of Array.isArray(result.rejected) ? result.rejected : []) {
        if (!isObj(r) || typeof r.id !== 'string') continue;
        seen.add(r.id);
        const rejection = {
          kind: 'rejected' as const,
          code: typeof r.code === 'string' ? r.code : 'INTERNAL',
          message: typeof r.message === 'string' ? r.message : 'rejected',
          ...(r.data === undefined ? {} : { data: r.data }),
        };
        count(tally, outbox.apply(r.id, rejection));
      }
    }
  }
  for (const msg of messages) {
    if (seen.has(msg.id)) continue;
    outbox.retryLater(msg);
    tally.errors++;
  }
  return tally;
}

/** Applies a single-message ack (`{type:'ack', id, ok, ...}`). */
export function applySingleAck(outbox: Outbox, frame: Obj): AckTally {
  const tally: AckTally = { acked: 0, rejected: 0, errors: 0 };
  const id = frame.id;
  if (typeof id !== 'string') return tally;
  outbox.ackSingle(id);
  if (frame.ok === true) {
    const info = isObj(frame.info) ? frame.info : undefined;
    count(tally, outbox.apply(id, { kind: 'accepted', duplicate: frame.duplicate === true, info }));
  } else {
    count(
      tally,
      outbox.apply(id, {
        kind: 'rejected',
        code: typeof frame.code === 'string' ? frame.code : 'INTERNAL',
        message: typeof frame.message === 'string' ? frame.message : 'rejected',
        ...(frame.data === undefined ? {} : { data: frame.data }),
      }),
    );
  }
  return tally;
}

/**
 * Applies an `error` frame. A `ref` naming a frame in flight voids it: its messages are sent
 * again later (same ids), except after BAD_FRAME, where our own frame was malformed and
 * sending it again cannot help, so they settle with that code. Returns the notice to emit and
 * how many message attempts failed.
 */
export function applyErrorFrame(outbox: Outbox, frame: Obj): { notice: ErrorNotice; errors: number } {
  const code = typeof frame.code === 'string' ? frame.code : 'BAD_FRAME';
  const message = typeof frame.message === 'string' ? frame.message : '';
  const ref = typeof frame.ref === 'number' || typeof frame.ref === 'string' ? frame.ref : undefined;
  let messages: readonly QueuedMessage[] | undefined;
  if (typeof ref === 'number') messages = outbox.ackBatch(ref);
  else if (typeof ref === 'string') messages = outbox.ackSingle(ref);
  for (const msg of messages ?? []) {
    if (code === 'BAD_FRAME') outbox.apply(msg.id, { kind: 'rejected', code, message });
    else outbox.retryLater(msg);
  }
  return {
    notice: ref === undefined ? { code, message } : { code, message, ref },
    errors: messages?.length ?? 0,
  };
}
