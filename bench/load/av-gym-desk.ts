import { constants, deflateRawSync } from 'node:zlib';
import { type WebSocketConstructor, WebSocketService, type WebSocketServiceOptions } from '@av-gym/client';
import { inflateRaw } from '@av-gym/client/node';
import WebSocket from 'ws';
import type { GymMessage } from '../lib/gym-mix.js';
import type { Desk } from './peer-desks.js';

export interface AvGymDeskOptions {
  port: number;
  clientId: string;
  token: string;
  batched: boolean;
  /**
   * `json` offers no codec, `deflate-raw` offers it first; undefined keeps the client's default
   * (what the product does out of the box).
   */
  codec?: 'json' | 'deflate-raw' | undefined;
  /**
   * `full`: the desk asks for no ack format (an old client: full acks, every id by name);
   * undefined: the client's default with Node's inflater (`compact-deflate`, issue 15).
   */
  acks?: 'full' | undefined;
}

/** Sees every text frame a desk writes (the wire scenario computes what compression would save). */
export type FrameTap = (text: string) => void;
let tap: FrameTap | undefined;
let binaryFrames = 0;

/** Binary (compressed) frames the desks of this process have written. */
export const binaryFramesSent = (): number => binaryFrames;

/** Installs (or removes) the frame tap for desks of this process. */
export function setFrameTap(next: FrameTap | undefined): void {
  tap = next;
}

/** `ws`'s WebSocket without a permessage-deflate offer, reporting each frame to the tap. */
class BenchWebSocket extends WebSocket {
  constructor(url: string) {
    super(url, { perMessageDeflate: false });
  }

  override send(data: string | Uint8Array | ArrayBuffer): void {
    if (typeof data === 'string') tap?.(data);
    else binaryFrames++;
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
    // `codecs` is the client's codec option (deflate-raw, issue 5); a client without it ignores it.
    // A Node desk compresses synchronously with node:zlib at level 1 (the option docs/client.md
    // gives Node apps): the browser default, async CompressionStream, counts its queueing as
    // cost and pauses itself on a CPU-bound generator.
    const codecs =
      options.codec === undefined
        ? {}
        : options.codec === 'json'
          ? { codecs: ['json'] }
          : {
              codecs: ['deflate-raw', 'json'],
              compress: (bytes: Uint8Array) => deflateRawSync(bytes, { level: constants.Z_BEST_SPEED }),
            };
    const acks = options.acks === 'full' ? { acks: [] } : { inflate: inflateRaw };
    const serviceOptions = {
      ...codecs,
      ...acks,
      url: `ws://127.0.0.1:${options.port}/ws`,
      token: options.token,
      clientId: options.clientId,
      WebSocket: BenchWebSocket as unknown as WebSocketConstructor,
      network: null,
      clientStatsIntervalMs: 0,
      maxReconnectAttempts: 1,
      batching: { optimization: options.batched },
    } as WebSocketServiceOptions;
    const service = new WebSocketService(serviceOptions);
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
