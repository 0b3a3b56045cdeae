/**
 * The Node-only part of the AV-Gym client (it imports node:fs, so browsers never load it):
 * the durable outbox's journal-file store.
 * @example
 * import { WebSocketService } from '@av-gym/client';
 * import { JournalOutboxStore } from '@av-gym/client/node';
 * const outboxStore = new JournalOutboxStore({ path: './data/desk-1.outbox' });
 * const svc = new WebSocketService({ url, token, clientId: 'desk-1', WebSocket, outboxStore });
 */
export { JournalOutboxStore, type JournalOutboxStoreOptions } from './outbox-store/journal-outbox-store.js';
