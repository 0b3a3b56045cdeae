/** Codes a `send` can settle with that come from the client itself (the server's are in @av-gym/protocol). */
export const CLIENT_SEND_CODES = {
  BACKPRESSURE: 'the queue holds maxQueueSize high/medium messages; nothing was queued, try again later',
  DROPPED: 'a low-priority (droppable) message was dropped under pressure or lost with a connection',
  CLOSED: 'the service was closed (or closed for good by the server) before the message was acked',
  TIMEOUT: 'a low-priority message waited unusedHandlerAgeMs for its ack',
  OUTBOX_FULL:
    "the desk's durable outbox holds its budget (outboxBudget: 10,000 actions or 5 MiB by default) waiting for the server; nothing was saved",
  NOT_SAVED: 'the outbox store failed to save the action (disk full, storage refused); nothing was queued',
} as const;
export type ClientCode = keyof typeof CLIENT_SEND_CODES;

/** Why a client call threw or a `connect()` rejected. */
export const CLIENT_ERROR_CODES = {
  INVALID_OPTION: 'an option is missing or out of range; the message names it',
  NO_WEBSOCKET: 'no WebSocket class: browsers have one, in Node pass `WebSocket` from the ws package',
  CLOSED: 'close() was called',
  TERMINAL_CLOSE: 'the server refused the connection for good (4401, 4403) or reconnect attempts ran out',
  OUTBOX_STORE: 'an outbox store could not be read or written; the message names the file or database',
} as const;
export type ClientErrorCode = keyof typeof CLIENT_ERROR_CODES;

/** The error class of this package: a typed code and an optional cause. */
export class ClientError extends Error {
  readonly code: ClientErrorCode;
  constructor(code: ClientErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ClientError';
    this.code = code;
  }
}
