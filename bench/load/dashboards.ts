import WebSocket from 'ws';
import { Histogram } from '../lib/histogram.js';

/** The server families a dashboard can speak to. */
export type Protocol = 'av-gym' | 'raw-ws' | 'socket.io';

export interface DashboardsSpec {
  protocol: Protocol;
  port: number;
  count: number;
  /** av-gym API token (ignored by the peers). */
  token?: string;
  /** How many dashboards parse every frame to measure latency; the rest only count. */
  sampled: number;
  /** Pause reading right after the handshake (slow readers that never read). */
  neverRead?: boolean;
}

const VISIT_MARK = Buffer.from('"topic":"check_ins"');

/** Counts visit events in a frame without parsing it (a native substring scan). */
export function countVisitEvents(frame: Buffer): number {
  let n = 0;
  let at = frame.indexOf(VISIT_MARK);
  while (at >= 0) {
    n++;
    at = frame.indexOf(VISIT_MARK, at + VISIT_MARK.length);
  }
  return n;
}

interface VisitEventLike {
  name?: string;
  data?: { memberId?: string; at?: number };
}

/** Every visit event inside a parsed frame of any protocol (event, events, or a socket.io packet). */
function visitEvents(text: string): VisitEventLike[] {
  const json = text.startsWith('42') ? (JSON.parse(text.slice(2)) as unknown[])[1] : JSON.parse(text);
  const frame = json as { type?: string; events?: VisitEventLike[] } & VisitEventLike;
  const all = frame.type === 'events' ? (frame.events ?? []) : [frame];
  return all.filter((e) => e.name === 'check_in.created' || e.name === 'check_out.created');
}

/**
 * Many dashboards in one process, subscribed to every topic over bare `ws` sockets (socket.io is
 * spoken at the engine.io level, so every protocol costs the generator the same to receive).
 * Latency is the wall clock now minus the event's `at`, which the writer set to its send time
 * (every server keeps a client's `at`); 1 ms resolution, one clock, no key reuse at saturation.
 */
export class Dashboards {
  readonly sockets: WebSocket[] = [];
  deliveries = 0;
  latency = new Histogram();
  private lastFrameAt = 0;
  closedByServer = 0;
  /** Deliveries and latencies count only while true (the measured window). */
  measuring = false;

  constructor(private readonly spec: DashboardsSpec) {}

  /** Connects dashboards, 100 at a time, until `count` (default: the spec's) are subscribed. */
  async open(count = this.spec.count): Promise<void> {
    for (let i = this.sockets.length; i < count; i += 100) {
      const wave = [];
      for (let j = i; j < Math.min(count, i + 100); j++) wave.push(this.connect(j));
      await Promise.all(wave);
    }
  }

  /** Closes dashboards from the end until `count` remain. */
  trim(count: number): void {
    while (this.sockets.length > count) {
      const s = this.sockets.pop();
      s?.removeAllListeners('close');
      s?.terminate();
    }
  }

  /** Resolves once no frame arrived for `quietMs` (the server's backlog is drained), at most `maxMs`. */
  async drain(quietMs: number, maxMs: number): Promise<void> {
    const until = performance.now() + maxMs;
    while (performance.now() < until && performance.now() - this.lastFrameAt < quietMs) {
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  /** Starts a measured window: counters back to zero. */
  reset(): void {
    this.deliveries = 0;
    this.latency = new Histogram();
  }

  close(): void {
    for (const s of this.sockets) s.terminate();
  }

  private connect(index: number): Promise<void> {
    const { protocol, port } = this.spec;
    const url =
      protocol === 'socket.io'
        ? `ws://127.0.0.1:${port}/socket.io/?EIO=4&transport=websocket`
        : `ws://127.0.0.1:${port}/ws`;
    const socket = new WebSocket(url, { perMessageDeflate: false });
    this.sockets.push(socket);
    const sampled = index < this.spec.sampled;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`dashboard ${index} not subscribed in 15 s`)), 15_000);
      let ready = false;
      const subscribed = () => {
        ready = true;
        clearTimeout(timer);
        if (this.spec.neverRead) socket.pause();
        resolve();
      };
      socket.on('error', (e) => (ready ? undefined : reject(e)));
      socket.on('close', () => {
        if (ready) this.closedByServer++;
      });
      socket.on('open', () => {
        if (protocol !== 'socket.io') {
          socket.send(
            JSON.stringify({
              type: 'hello',
              token: this.spec.token,
              clientId: `dash-${index}`,
              topics: ['*'],
            }),
          );
        }
      });
      socket.on('message', (raw: Buffer) => {
        if (!ready) {
          const text = raw.toString();
          if (protocol === 'socket.io') {
            if (text.startsWith('0{')) socket.send('40{"role":"dashboard"}');
            else if (text.startsWith('40')) subscribed();
          } else if (text.includes('"welcome"')) subscribed();
          else if (text.includes('"error"')) reject(new Error(`dashboard ${index}: ${text.slice(0, 200)}`));
          return;
        }
        this.lastFrameAt = performance.now();
        if (protocol === 'socket.io' && raw.length === 1 && raw[0] === 0x32) {
          socket.send('3');
          return;
        }
        if (!this.measuring) return;
        if (!sampled) {
          this.deliveries += countVisitEvents(raw);
          return;
        }
        const now = Date.now();
        for (const e of visitEvents(raw.toString())) {
          this.deliveries++;
          if (typeof e.data?.at === 'number') this.latency.record(now - e.data.at);
        }
      });
    });
  }
}
