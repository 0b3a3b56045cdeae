import { io, type Socket } from 'socket.io-client';
import WebSocket from 'ws';
import type { GymMessage } from '../lib/gym-mix.js';

/** One front desk as a load generator sees it: send a logical message, learn its fate at the ack. */
export interface Desk {
  /** Resolves at the ack: true when accepted (or a duplicate of an accepted one). */
  send(message: GymMessage): Promise<boolean>;
  close(): void;
}

interface SingleAck {
  type: string;
  id?: string;
  ok?: boolean;
}

/**
 * A desk speaking single-message frames over bare `ws` (`{"type":"check_in","id":..,"data":..}` ->
 * `{"type":"ack","id":..,"ok":..}`): the `raw-ws` peer's protocol.
 */
export class RawWsDesk implements Desk {
  private readonly pending = new Map<string, (ok: boolean) => void>();

  private constructor(private readonly socket: WebSocket) {
    socket.on('message', (raw: Buffer) => {
      const ack = JSON.parse(raw.toString()) as SingleAck;
      if (ack.type !== 'ack' || ack.id === undefined) return;
      const resolve = this.pending.get(ack.id);
      this.pending.delete(ack.id);
      resolve?.(ack.ok === true);
    });
    socket.on('close', () => {
      for (const resolve of this.pending.values()) resolve(false);
      this.pending.clear();
    });
  }

  static open(url: string, clientId: string, token?: string): Promise<RawWsDesk> {
    return new Promise((resolve, reject) => {
      const socket = new WebSocket(url, { perMessageDeflate: false });
      socket.once('error', reject);
      socket.once('open', () => {
        socket.send(JSON.stringify({ type: 'hello', token, clientId }));
        socket.once('message', () => resolve(new RawWsDesk(socket)));
      });
    });
  }

  send(message: GymMessage): Promise<boolean> {
    return new Promise((resolve) => {
      this.pending.set(message.id, resolve);
      this.socket.send(JSON.stringify(message));
    });
  }

  close(): void {
    this.socket.terminate();
  }
}

/** A desk on socket.io-client: one `emit('msg', message, ack)` per logical message. */
export class SocketIoDesk implements Desk {
  private constructor(private readonly socket: Socket) {}

  static open(port: number): Promise<SocketIoDesk> {
    return new Promise((resolve, reject) => {
      const socket = io(`http://127.0.0.1:${port}`, {
        transports: ['websocket'],
        reconnection: false,
        forceNew: true,
        auth: { role: 'desk' },
      });
      socket.once('connect_error', reject);
      socket.once('connect', () => resolve(new SocketIoDesk(socket)));
    });
  }

  send(message: GymMessage): Promise<boolean> {
    return new Promise((resolve) => {
      this.socket.emit('msg', message, (outcome: { ok?: boolean }) => resolve(outcome.ok === true));
    });
  }

  close(): void {
    this.socket.disconnect();
  }
}
