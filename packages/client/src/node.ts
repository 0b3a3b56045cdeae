/**
 * The Node-only part of the AV-Gym client (it imports node:fs, so browsers never load it):
 * the durable outbox's journal-file store, and zlib's inflater for compressed acks.
 * @example
 * import { WebSocketService } from '@av-gym/client';
 * import { inflateRaw, JournalOutboxStore } from '@av-gym/client/node';
 * const outboxStore = new JournalOutboxStore({ path: './data/desk-1.outbox' });
 * const svc = new WebSocketService({ url, token, clientId: 'desk-1', WebSocket, outboxStore, inflate: inflateRaw });
 */
import { inflateRawSync } from 'node:zlib';
import { MAX_INFLATED_BYTES } from '@av-gym/protocol';

export { JournalOutboxStore, type JournalOutboxStoreOptions } from './outbox-store/journal-outbox-store.js';

/**
 * Node's inflater for `compact-deflate` acks (the `inflate` option): zlib, its output bounded by
 * the protocol's frame limit (1 MiB), so a frame that inflates past it throws and is ignored.
 */
export function inflateRaw(data: Uint8Array): Uint8Array {
  return inflateRawSync(data, { maxOutputLength: MAX_INFLATED_BYTES });
}
