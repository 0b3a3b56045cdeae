import type { Clock, TimerHandle } from '../clock.js';

export interface HeartbeatOptions {
  clock: Clock;
  /** Ping period. Default 5000. */
  intervalMs: number;
  /** Unanswered pings in a row that declare the connection dead. Default 2. */
  maxMissedPongs: number;
  /** Writes `{"type":"ping","ts":ts}`. */
  sendPing: (ts: number) => void;
  /** One round trip measured (monotonic ms). */
  onRtt: (rttMs: number) => void;
  /** `maxMissedPongs` pings went unanswered: close and reconnect. */
  onDead: () => void;
}

/**
 * Pings at open and every `intervalMs`; each pong gives a latency sample. At each tick an
 * unanswered previous ping counts as missed; two missed in a row (10 s by default) and the
 * connection is dead, even if the socket never reported a close (a half-open TCP link).
 */
export class Heartbeat {
  readonly #o: HeartbeatOptions;
  #timer: TimerHandle | undefined;
  #outstanding: { ts: number; sentAtMs: number } | undefined;
  #missed = 0;

  constructor(options: HeartbeatOptions) {
    this.#o = options;
  }

  get missedPongs(): number {
    return this.#missed;
  }

  start(): void {
    this.stop();
    this.#ping();
    this.#timer = this.#o.clock.setInterval(() => this.#tick(), this.#o.intervalMs);
  }

  stop(): void {
    if (this.#timer !== undefined) this.#o.clock.clearInterval(this.#timer);
    this.#timer = undefined;
    this.#outstanding = undefined;
    this.#missed = 0;
  }

  /** A pong arrived: any pong proves the link alive; the matching one gives a sample. */
  onPong(ts: number): void {
    this.#missed = 0;
    const out = this.#outstanding;
    if (out === undefined || out.ts !== ts) return;
    this.#outstanding = undefined;
    this.#o.onRtt(this.#o.clock.monotonicNow() - out.sentAtMs);
  }

  #tick(): void {
    if (this.#outstanding !== undefined) {
      this.#missed++;
      if (this.#missed >= this.#o.maxMissedPongs) {
        this.stop();
        this.#o.onDead();
        return;
      }
    }
    this.#ping();
  }

  #ping(): void {
    const ts = this.#o.clock.now();
    this.#outstanding = { ts, sentAtMs: this.#o.clock.monotonicNow() };
    this.#o.sendPing(ts);
  }
}
