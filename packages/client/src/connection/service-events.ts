import type { Alert, EventFrame, Priority } from '@av-gym/protocol';
import type { OutboxSnapshot } from './durable-outbox.js';
import type { SendOutcome } from './outbox.js';
import type { StateChange } from './state.js';

/** Emitted as `reload` when the server could not replay the gap: refetch state over HTTP. */
export interface ReloadNotice {
  reason: 'resume_failed';
  /** The server's newest event seq at welcome; events after it follow live. */
  eventSeq: number;
}

/** Emitted as `ack` (and under the message's type) whenever a send settles. */
export interface AckNotice {
  id: string;
  type: string;
  outcome: SendOutcome;
}

/** A frame-level error from the server (`ref` names the batch seq or message id), or a handler that threw. */
export interface ErrorNotice {
  code: string;
  message: string;
  ref?: number | string;
}

/** Service-level events and their payloads. Topics and event names carry the event frame. */
export interface ServiceEventMap {
  state: StateChange;
  open: { sessionId: string; resumed: boolean };
  reload: ReloadNotice;
  ack: AckNotice;
  error: ErrorNotice;
  /** Every event of every subscribed topic. */
  event: EventFrame;
  /** Extension: an alert changed state (subscribe to the `alerts` topic to get them). */
  alert: Alert;
  /** The durable outbox changed (an action saved, restored or settled); only with an `outboxStore`. */
  outbox: OutboxSnapshot;
}

export interface SendOptions {
  /** Overrides the type's default priority (high: check_in/out, medium: member_*, low: client_stats). */
  priority?: Priority;
  /** Your own idempotency key; default a new ULID. */
  id?: string;
  /**
   * With an `outboxStore`: called once the action is saved in it ("saved on this desk"), before
   * it is queued; a reload or crash from then on loses nothing. Not called for low priority.
   */
  onSaved?: () => void;
}
