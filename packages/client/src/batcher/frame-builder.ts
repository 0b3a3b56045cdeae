import { utf8Length } from '@av-gym/protocol';
import type { QueuedMessage } from './queued-message.js';

/** One frame ready for the socket, with the messages it carries. */
export interface OutgoingFrame {
  /** `batch` frame, or a message alone (`{"type","id","data"}`) when it carries one message. */
  readonly kind: 'batch' | 'single';
  /** The batch `seq` (names the batch in its ack); undefined for a single message. */
  readonly seq: number | undefined;
  readonly text: string;
  /** UTF-8 bytes of `text`. */
  readonly bytes: number;
  /** UTF-8 bytes the same messages take sent one frame each. */
  readonly unbatchedBytes: number;
  readonly messages: readonly QueuedMessage[];
}

/** UTF-8 length of a string without encoding it (one definition, in the protocol package). */
export { utf8Length };

function singleText(type: string, idJson: string, dataJson: string): string {
  return `{"type":${JSON.stringify(type)},"id":${idJson},"data":${dataJson}}`;
}

/**
 * Builds the frame for messages in enqueue order. Several messages make a `batch` grouped by
 * type; when the types interleave, `order` (runs of `[type, count]`) tells the server the
 * enqueue order, so the outcome equals sending each alone in order. One message goes alone.
 * Each message's data is serialised once; the frame text is assembled from those pieces.
 */
export function buildFrame(messages: readonly QueuedMessage[], seq: number): OutgoingFrame {
  const first = messages[0];
  if (messages.length === 1 && first !== undefined) {
    const text = singleText(first.type, JSON.stringify(first.id), JSON.stringify(first.data ?? null));
    const bytes = utf8Length(text);
    return { kind: 'single', seq: undefined, text, bytes, unbatchedBytes: bytes, messages };
  }
  const groups = new Map<string, string[]>();
  const runs: [string, number][] = [];
  let unbatchedBytes = 0;
  for (const msg of messages) {
    const idJson = JSON.stringify(msg.id);
    const dataJson = JSON.stringify(msg.data ?? null);
    const item = `{"id":${idJson},"data":${dataJson}}`;
    unbatchedBytes += utf8Length(singleText(msg.type, idJson, dataJson));
    const group = groups.get(msg.type);
    if (group) group.push(item);
    else groups.set(msg.type, [item]);
    const run = runs[runs.length - 1];
    if (run !== undefined && run[0] === msg.type) run[1]++;
    else runs.push([msg.type, 1]);
  }
  const parts: string[] = [];
  for (const [type, items] of groups) parts.push(`${JSON.stringify(type)}:[${items.join(',')}]`);
  const order = runs.length > groups.size ? `,"order":${JSON.stringify(runs)}` : '';
  const text = `{"type":"batch","seq":${seq},"batches":{${parts.join(',')}}${order}}`;
  return { kind: 'batch', seq, text, bytes: utf8Length(text), unbatchedBytes, messages };
}
