import type { Clock, TimerHandle } from '../clock.js';
import type { WebSocketConstructor, WebSocketLike } from './service-options.js';

/** What one socket reports to the service; nothing is reported after `detach`. */
export interface SocketEvents {
  onOpen(): void;
  onText(data: unknown): void;
  /** The socket closed, failed to open, or the connect timeout fired. */
  onClosed(code: number, reason: string): void;
}

const OPEN = 1;
/** The code the client closes with itself (connect timeout, dead heartbeat, failed send). */
export const CLIENT_CLOSE_CODE = 4000;

/**
 * One WebSocket from open to close, with its connect timeout. `detach` silences it at once, so
 * a socket that is slow to close can never report into a newer connection.
 */
export class SocketConnection {
  readonly #clock: Clock;
  readonly #events: SocketEvents;
  #socket: WebSocketLike | undefined;
  #connectTimer: TimerHandle | undefined;

  constructor(
    Ctor: WebSocketConstructor,
    url: string,
    clock: Clock,
    connectTimeoutMs: number,
    events: SocketEvents,
  ) {
    this.#clock = clock;
    this.#events = events;
    let socket: WebSocketLike;
    try {
      socket = new Ctor(url);
    } catch (error) {
      queueMicrotask(() => events.onClosed(1006, `cannot open: ${String(error)}`));
      return;
    }
    this.#socket = socket;
    // binary frames (compressed acks) as ArrayBuffer, not a browser Blob that needs a promise
    socket.binaryType = 'arraybuffer';
    socket.onopen = () => this.#events.onOpen();
    socket.onmessage = (ev: { data: unknown }) => this.#events.onText(ev.data);
    socket.onclose = (ev: { code?: number; reason?: string }) => {
      this.detach();
      this.#events.onClosed(ev.code ?? 1006, ev.reason ?? '');
    };
    // `ws` throws an error event nobody listens to; the close event that follows is what counts
    socket.onerror = () => {};
    this.#connectTimer = clock.setTimeout(() => {
      this.#connectTimer = undefined;
      this.drop('connect timeout');
    }, connectTimeoutMs);
  }

  get bufferedAmount(): number {
    return this.#socket?.bufferedAmount ?? 0;
  }

  get attached(): boolean {
    return this.#socket !== undefined;
  }

  /** The handshake finished: the connect timeout no longer applies. */
  established(): void {
    if (this.#connectTimer !== undefined) this.#clock.clearTimeout(this.#connectTimer);
    this.#connectTimer = undefined;
  }

  /** Writes a text (JSON) or binary (compressed) frame; false if the socket is gone or refused it. */
  send(data: string | Uint8Array): boolean {
    if (this.#socket === undefined) return false;
    try {
      this.#socket.send(data);
      return true;
    } catch {
      return false;
    }
  }

  /** Stops reporting; returns the socket for the caller to close. */
  detach(): WebSocketLike | undefined {
    this.established();
    const socket = this.#socket;
    this.#socket = undefined;
    if (socket) {
      socket.onopen = null;
      socket.onmessage = null;
      socket.onclose = null;
      socket.onerror = () => {};
    }
    return socket;
  }

  /** Gives up on this socket from our side and reports it closed at once (not waiting for a close handshake). */
  drop(reason: string): void {
    const socket = this.detach();
    if (socket === undefined) return;
    try {
      socket.close(CLIENT_CLOSE_CODE, reason);
    } catch {
      // a socket still connecting may refuse close(); it is detached either way
    }
    this.#events.onClosed(CLIENT_CLOSE_CODE, reason);
  }

  /** Closes normally; an open socket is awaited until its close event, at most 1 s. Reports nothing. */
  close(): Promise<void> {
    const socket = this.detach();
    if (socket === undefined) return Promise.resolve();
    const wasOpen = socket.readyState === OPEN;
    return new Promise<void>((resolve) => {
      const timer = wasOpen ? this.#clock.setTimeout(resolve, 1_000) : undefined;
      const done = () => {
        if (timer !== undefined) this.#clock.clearTimeout(timer);
        resolve();
      };
      socket.onclose = done;
      try {
        socket.close(1000, 'client closed');
      } catch {
        done();
      }
      if (!wasOpen) done();
    });
  }
}
