/**
 * The connection's states. `idle` before `connect()`; `connecting` while a socket is opening
 * and the hello/welcome exchange runs; `open` after welcome; `reconnecting` while waiting out
 * a backoff delay (or paused while the browser is offline); `closed` after `close()` or a
 * terminal close code (4401, 4403). `closed` is final.
 */
export type ConnectionState = 'idle' | 'connecting' | 'open' | 'reconnecting' | 'closed';

/** Why the connection went where it went: the close code and reason of the socket, if any. */
export interface StateReason {
  code?: number;
  reason?: string;
  /** True for a close code after which the client will not reconnect on its own. */
  terminal?: boolean;
}

/** The payload of the `state` event. */
export interface StateChange {
  from: ConnectionState;
  to: ConnectionState;
  reason?: StateReason;
}

const ALLOWED: Readonly<Record<ConnectionState, readonly ConnectionState[]>> = {
  idle: ['connecting', 'closed'],
  connecting: ['open', 'reconnecting', 'closed'],
  open: ['reconnecting', 'closed'],
  reconnecting: ['connecting', 'closed'],
  closed: [],
};

/** One explicit state machine: every change goes through `set`, which checks it and reports it. */
export class ConnectionStateMachine {
  #state: ConnectionState = 'idle';
  readonly #onChange: (change: StateChange) => void;

  constructor(onChange: (change: StateChange) => void) {
    this.#onChange = onChange;
  }

  get state(): ConnectionState {
    return this.#state;
  }

  /** Moves to `to`; returns false (and changes nothing) for a transition the machine does not allow. */
  set(to: ConnectionState, reason?: StateReason): boolean {
    const from = this.#state;
    if (!ALLOWED[from].includes(to)) return false;
    this.#state = to;
    this.#onChange(reason === undefined ? { from, to } : { from, to, reason });
    return true;
  }
}
