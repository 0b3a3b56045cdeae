/**
 * The reconnect storm's load side: many connected desks subscribed to visits and one writer, on
 * the real av-gym client (reconnecting, resuming by `lastEventSeq`) or on socket.io-client
 * (reconnecting, with the server's connection state recovery). The orchestrator restarts the
 * server in between; this side times every desk's return and checks that each saw every visit
 * event once.
 */
import { randomUUID } from 'node:crypto';
import { type WebSocketConstructor, WebSocketService } from '@av-gym/client';
import { io, type Socket } from 'socket.io-client';
import WebSocket from 'ws';

export type StormProtocol = 'av-gym' | 'socket.io';

export interface StormSpec {
  protocol: StormProtocol;
  port: number;
  token: string;
  desks: number;
  /** Active members, one check-in each: the writer's messages before and during the outage. */
  memberIds: string[];
}

/** What one run measured, sent to the orchestrator as the `storm-result` message. */
export interface StormResult {
  desks: number;
  /** Desks connected again after the restart (within the wait). */
  back: number;
  /** Of those, resumed: av-gym `welcome.resumed`, socket.io `socket.recovered`. */
  resumed: number;
  /** Epoch ms of each desk's return (sorted). */
  backAt: number[];
  /** Desk-visit-event pairs missing at the end / seen more than once. */
  missedEvents: number;
  doubledEvents: number;
  /** The writer's messages: acked ok, refused, never answered. */
  writerOk: number;
  writerRefused: number;
  writerUnanswered: number;
  /** Visit events each desk should hold (the writer's accepted check-ins). */
  expectedEvents: number;
}

class NoDeflateWebSocket extends WebSocket {
  constructor(url: string) {
    super(url, { perMessageDeflate: false });
  }
}

/** One connection that counts its returns and the visit events it has seen. */
interface StormDesk {
  /** Keys of the visit events seen, with how many times. */
  seen: Map<string, number>;
  backAt: number | undefined;
  resumed: boolean;
  close(): void;
}

const eventKey = (name: string, visitId: unknown): string => `${name}:${String(visitId)}`;

function avGymService(spec: StormSpec, clientId: string, topics: string[]): WebSocketService {
  return new WebSocketService({
    url: `ws://127.0.0.1:${spec.port}/ws`,
    token: spec.token,
    clientId,
    topics,
    WebSocket: NoDeflateWebSocket as unknown as WebSocketConstructor,
    network: null,
    clientStatsIntervalMs: 0,
    codecs: ['json'],
  });
}

async function openAvGymDesk(spec: StormSpec, i: number, armed: () => boolean): Promise<StormDesk> {
  const service = avGymService(spec, `storm-${i}`, ['check_ins']);
  const desk: StormDesk = {
    seen: new Map(),
    backAt: undefined,
    resumed: false,
    close: () => void service.close(),
  };
  service.on('event', (e: { name: string; data: unknown }) => {
    const key = eventKey(e.name, (e.data as { visitId?: unknown }).visitId);
    desk.seen.set(key, (desk.seen.get(key) ?? 0) + 1);
  });
  service.on('open', ({ resumed }) => {
    if (!armed() || desk.backAt !== undefined) return;
    desk.backAt = Date.now();
    desk.resumed = resumed;
  });
  await service.connect();
  return desk;
}

function ioSocket(
  spec: StormSpec,
  role: string,
  extra: { ackTimeout?: number; retries?: number } = {},
): Socket {
  return io(`http://127.0.0.1:${spec.port}`, {
    transports: ['websocket'],
    forceNew: true,
    auth: { role },
    // socket.io-client's defaults: 1 s doubling to 5 s, +-50 % jitter, retrying for ever
    reconnection: true,
    ...extra,
  });
}

function openSocketIoDesk(spec: StormSpec, armed: () => boolean): Promise<StormDesk> {
  const socket = ioSocket(spec, 'dashboard');
  const desk: StormDesk = {
    seen: new Map(),
    backAt: undefined,
    resumed: false,
    close: () => socket.disconnect(),
  };
  socket.on('event', (e: { name: string; data: { visitId?: unknown } }) => {
    const key = eventKey(e.name, e.data.visitId);
    desk.seen.set(key, (desk.seen.get(key) ?? 0) + 1);
  });
  socket.on('connect', () => {
    if (!armed() || desk.backAt !== undefined) return;
    desk.backAt = Date.now();
    desk.resumed = socket.recovered;
  });
  return new Promise((resolve, reject) => {
    socket.once('connect_error', reject);
    socket.once('connect', () => resolve(desk));
  });
}

/** The writer: one check-in per call, answered true (ok), false (refused) or never. */
interface Writer {
  checkIn(memberId: string): Promise<boolean>;
  close(): void;
}

async function openWriter(spec: StormSpec): Promise<Writer> {
  if (spec.protocol === 'av-gym') {
    const service = avGymService(spec, 'storm-writer', []);
    await service.connect();
    return {
      checkIn: async (memberId) => (await service.send('check_in', { memberId }, { id: randomUUID() })).ok,
      close: () => void service.close(),
    };
  }
  // The writer gets socket.io's own at-least-once: an ack timeout and retries (socket.io-client
  // 4.6+), so a message the dead server never acked is sent again after the reconnect.
  const socket = ioSocket(spec, 'desk', { ackTimeout: 10_000, retries: 5 });
  await new Promise<void>((resolve, reject) => {
    socket.once('connect_error', reject);
    socket.once('connect', () => resolve());
  });
  return {
    checkIn: (memberId) =>
      new Promise((resolve) =>
        socket.emit(
          'msg',
          { type: 'check_in', id: randomUUID(), data: { memberId } },
          (err: Error | null, o?: { ok?: boolean }) => {
            // an ack after every retry timed out never comes: that message stays unanswered
            if (!err) resolve(o?.ok === true);
          },
        ),
      ),
    close: () => socket.disconnect(),
  };
}

/** Bounded wait for `done`, polling every 50 ms. */
async function until(done: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!done() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
}

/**
 * A storm run in three calls from the orchestrator: `open` (desks connected, the first half of the
 * writer's check-ins seen by all), `outage` (armed; the server is going down now: the second half
 * is sent and waits in the clients), `settle` (the server is back: wait for every desk, the writer
 * and the events, then count).
 */
export class Storm {
  #desks: StormDesk[] = [];
  #writer: Writer | undefined;
  #armed = false;
  /** The outage's check-ins: each answer once it came (undefined while none has). */
  #answers: (boolean | undefined)[] = [];
  #pending: Promise<unknown>[] = [];
  #accepted = 0;

  constructor(readonly spec: StormSpec) {}

  async open(): Promise<void> {
    const armed = () => this.#armed;
    for (let i = 0; i < this.spec.desks; i += 100) {
      const wave: Promise<StormDesk>[] = [];
      for (let j = i; j < Math.min(this.spec.desks, i + 100); j++)
        wave.push(
          this.spec.protocol === 'av-gym'
            ? openAvGymDesk(this.spec, j, armed)
            : openSocketIoDesk(this.spec, armed),
        );
      this.#desks.push(...(await Promise.all(wave)));
    }
    this.#writer = await openWriter(this.spec);
    const half = this.spec.memberIds.slice(0, Math.floor(this.spec.memberIds.length / 2));
    const oks = await Promise.all(half.map((m) => this.#writer!.checkIn(m)));
    this.#accepted = oks.filter(Boolean).length;
    await until(() => this.#desks.every((d) => d.seen.size >= this.#accepted), 30_000);
  }

  outage(): void {
    this.#armed = true;
    const rest = this.spec.memberIds.slice(Math.floor(this.spec.memberIds.length / 2));
    this.#answers = rest.map(() => undefined);
    this.#pending = rest.map((m, i) =>
      this.#writer!.checkIn(m).then((ok) => {
        this.#answers[i] = ok;
      }),
    );
  }

  async settle(waitMs: number): Promise<StormResult> {
    await until(() => this.#desks.every((d) => d.backAt !== undefined), waitMs);
    // long enough for a socket.io ack timeout (10 s) and one resend
    await Promise.race([Promise.all(this.#pending), new Promise((r) => setTimeout(r, 25_000))]);
    const answered = this.#answers;
    const writerOk = answered.filter((a) => a === true).length;
    const expected = this.#accepted + writerOk;
    await until(() => this.#desks.every((d) => d.seen.size >= expected), 5_000);
    let missed = 0;
    let doubled = 0;
    for (const d of this.#desks) {
      missed += Math.max(0, expected - d.seen.size);
      for (const n of d.seen.values()) if (n > 1) doubled += n - 1;
    }
    const back = this.#desks.filter((d) => d.backAt !== undefined);
    const result: StormResult = {
      desks: this.#desks.length,
      back: back.length,
      resumed: back.filter((d) => d.resumed).length,
      backAt: back.map((d) => d.backAt as number).sort((a, b) => a - b),
      missedEvents: missed,
      doubledEvents: doubled,
      writerOk,
      writerRefused: answered.filter((a) => a === false).length,
      writerUnanswered: answered.filter((a) => a === undefined).length,
      expectedEvents: expected,
    };
    for (const d of this.#desks) d.close();
    this.#writer?.close();
    return result;
  }
}
