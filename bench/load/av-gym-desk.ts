import { type WebSocketConstructor, WebSocketService } from '@av-gym/client';
import WebSocket from 'ws';
import type { GymMessage } from '../lib/gym-mix.js';
import type { Desk } from './peer-desks.js';

export interface AvGymDeskOptions {
  port: number;
  clientId: string;
  token: string;
  batched: boolean;
  /** Compression to offer; the project offers none yet, so only `undefined` opens a desk. */
  codec?: string | undefined;
}

/** Sees every text frame a desk writes (the wire scenario computes what compression would save). */
export type FrameTap = (text: string) => void;
let tap: FrameTap | undefined;

/** Installs (or removes) the frame tap for desks of this process. */
export function setFrameTap(next: FrameTap | undefined): void {
  tap = next;
}

/** `ws`'s WebSocket without a permessage-deflate offer, reporting each frame to the tap. */
class BenchWebSocket extends WebSocket {
  constructor(url: string) {
    super(url, { perMessageDeflate: false });
  }

  override send(data: string): void {
    tap?.(data);
    super.send(data);
  }
}

/**
 * A desk on the real `@av-gym/client` WebSocketService: batching on (`av-gym`) or the
 * optimization toggle off (`av-gym-unbatched`); its own client_stats timer is off because the
 * gym mix already carries client_stats.
 */
export class AvGymDesk implements Desk {
  private constructor(private readonly service: WebSocketService) {}

  static async open(options: AvGymDeskOptions): Promise<AvGymDesk> {
    if (options.codec !== undefined) throw new Error(`the av-gym client offers no codec '${options.codec}'`);
    const service = new WebSocketService({
      url: `ws://127.0.0.1:${options.port}/ws`,
      token: options.token,
      clientId: options.clientId,
      WebSocket: BenchWebSocket as unknown as WebSocketConstructor,
      network: null,
      clientStatsIntervalMs: 0,
      maxReconnectAttempts: 1,
      batching: { optimization: options.batched },
    });
    await service.connect();
    return new AvGymDesk(service);
  }

  async send(message: GymMessage): Promise<boolean> {
    const outcome = await this.service.send(message.type, message.data, { id: message.id });
    return outcome.ok;
  }

  close(): void {
    void this.service.close();
  }
}
