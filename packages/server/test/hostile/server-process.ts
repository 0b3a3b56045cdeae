import { ServerProcess } from '../../../../e2e/server-process.js';

/** The API token the hostile suite's server accepts. */
export const HOSTILE_TOKEN = 'hostile-suite-api-token-0123456789';

/**
 * The server as a README user starts it (its own process, SQLite file, in-process broker, the demo
 * gym), so its RSS can be read from /proc and a crash shows as an exit; it also takes an API token.
 */
export class HostileServer extends ServerProcess {
  constructor() {
    super({ AV_GYM_TOKENS: HOSTILE_TOKEN });
  }

  get wsUrl(): string {
    return `ws://127.0.0.1:${this.port}/ws`;
  }
}
