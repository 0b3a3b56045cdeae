import type { GymMessage } from '../lib/gym-mix.js';
import type { Desk } from './peer-desks.js';

export interface AvGymDeskOptions {
  port: number;
  clientId: string;
  token: string;
  batched: boolean;
  codec?: string | undefined;
}

/** A desk on the real `@av-gym/client` WebSocketService (placeholder until the client lands). */
export class AvGymDesk implements Desk {
  static async open(_options: AvGymDeskOptions): Promise<AvGymDesk> {
    throw new Error('@av-gym/client is not there yet');
  }

  send(_message: GymMessage): Promise<boolean> {
    return Promise.resolve(false);
  }

  close(): void {}
}
