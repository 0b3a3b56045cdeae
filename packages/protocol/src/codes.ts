/** Why one logical message was refused; travels in `ack` results. */
export const MESSAGE_CODES = {
  VALIDATION_FAILED: 'the message data does not match its schema',
  UNKNOWN_TYPE: 'no handler exists for this message type',
  MEMBER_NOT_FOUND: 'no member has this id',
  MEMBERSHIP_INACTIVE: 'the membership is expired or frozen',
  CHECK_IN_BLOCKED:
    'a blocking alert (balance due, missing waiver, pass-back, ...) refuses the check-in; the alerts are attached; a staff role allowed to may override',
  FORBIDDEN: "the staff member's role may not do this (e.g. override a blocking alert); nothing was written",
  CLUB_NOT_ALLOWED:
    "the member's access rule does not cover this desk's club (home-club-only member at another club)",
  CAPACITY_REACHED: "the desk's club is full: the check-in would exceed its capacity; a manager may override",
  ALREADY_CHECKED_IN: 'the member already has an open visit',
  NOT_CHECKED_IN: 'the member has no open visit to close',
  VERSION_CONFLICT: 'the member changed since baseVersion; the current values are attached',
  WRONG_STATE:
    'the member is not in the state this action needs (renew a frozen member, unfreeze one not frozen)',
  DUPLICATE_MEMBER: 'a member with this id or membership number already exists',
  ID_REUSED: 'this message id was already used for a different message; make a new id',
  RATE_LIMITED: 'the connection sent too much too fast; retry later (retryable)',
  UNAVAILABLE: 'the store or broker is unreachable; nothing was written (retryable)',
  INTERNAL: 'the handler for this type failed; nothing was written (retryable)',
} as const;
export type MessageCode = keyof typeof MESSAGE_CODES;

/** Codes after which the same message may be sent again with the same id. */
export const RETRYABLE_CODES: ReadonlySet<MessageCode> = new Set<MessageCode>([
  'RATE_LIMITED',
  'UNAVAILABLE',
  'INTERNAL',
]);

/** Frame-level problems, sent as an `error` frame; the connection stays open. */
export const FRAME_ERROR_CODES = {
  BAD_FRAME: 'not JSON, not an object, no type, or fields of the wrong shape',
  BATCH_TOO_LARGE: 'the batch holds more messages than limits.maxBatchSize',
  NOT_AUTHENTICATED: 'a frame other than hello arrived before the session was open',
  TOO_MANY_IN_FLIGHT: 'more batches unacknowledged than limits.maxInFlight',
  RATE_LIMITED: 'frames (pings, subscribes, ...) arrive faster than the connection may send them; slow down',
} as const;
export type FrameErrorCode = keyof typeof FRAME_ERROR_CODES;

/** WebSocket close codes the server uses. */
export const CLOSE_CODES = {
  NORMAL: 1000,
  GOING_AWAY: 1001,
  FRAME_TOO_BIG: 1009,
  /** Service restart: the node drains (rolling deploy); a `goaway` frame before it hints the reconnect delay. */
  SERVICE_RESTART: 1012,
  /** The node is at its connection cap, or this address has too many sockets not yet logged in. */
  TRY_AGAIN_LATER: 1013,
  PROTOCOL_ABUSE: 4400,
  /** Bad or missing token, or the credential was revoked (logout, expiry, disabled account). */
  UNAUTHENTICATED: 4401,
  ORIGIN_REFUSED: 4403,
  HELLO_TIMEOUT: 4408,
  RATE_LIMIT: 4429,
  SLOW_CONSUMER: 4508,
} as const;
export type CloseCode = (typeof CLOSE_CODES)[keyof typeof CLOSE_CODES];

/** Close codes after which a client must not reconnect on its own. */
export const TERMINAL_CLOSE_CODES: ReadonlySet<number> = new Set([4401, 4403]);
