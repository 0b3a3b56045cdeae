import type { AddressInfo } from 'node:net';
import { inflateRawSync } from 'node:zlib';
import { type WebSocket, WebSocketServer } from 'ws';

/** A frame as the client sent it, parsed but not checked: the fake records whatever arrives. */
type RawFrame = Record<string, unknown>;

/** The fake's answer to one logical message. */
export type FakeVerdict =
  | { accept: true; info?: Record<string, unknown> }
  | { accept: false; code: string; message?: string; data?: unknown }
  /** Leave it out of the ack (a server bug the client must survive). */
  | { omit: true };

export interface FakeServerOptions {
  /** Decides each message; default accept. Called once per id (repeats are answered as duplicates). */
  verdict?: (type: string, id: string, data: unknown) => FakeVerdict;
  /** Whether a resume is honoured. Default true. */
  resumed?: boolean;
  /** Answer pings. Default true. */
  pong?: boolean;
  /** Token required in hello; a wrong one closes 4401. Default: any. */
  token?: string;
  /** Delay of every ack, ms. Default 0. */
  ackDelayMs?: number;
  /** Apply messages but never send their acks (as if every ack were lost). Default false. */
  dropAcks?: boolean;
  /** Answer a batch or single frame with an `error` frame (ref = its seq or id) instead of an ack. */
  errorFor?: (frame: RawFrame) => { code: string; message: string } | undefined;
  /** `welcome.limits` to announce. Default maxFrameBytes 1 MiB, maxBatchSize 500, maxInFlight 16. */
  limits?: { maxFrameBytes: number; maxBatchSize: number; maxInFlight: number };
  /** Answer hello with welcome. Default true (false: the client's connect timeout must fire). */
  welcome?: boolean;
  /** Accept the `deflate-raw` codec when a hello offers it. Default false (welcome without codec). */
  deflate?: boolean;
}

/**
 * A small in-process server speaking the wire protocol (hello/welcome, batch and single
 * acks with idempotency, ping/pong, events) on port 0, for the client's tests. Node only.
 */
export class FakeServer {
  readonly options: FakeServerOptions;
  /** Every frame received, parsed, in arrival order. */
  readonly frames: RawFrame[] = [];
  /** Per received frame (same index as `frames`): its wire bytes and whether it came binary (compressed). */
  readonly wire: { bytes: number; binary: boolean }[] = [];
  /** Ids applied, in apply order (each once). */
  readonly applied: { type: string; id: string; data: unknown }[] = [];
  readonly sockets = new Set<WebSocket>();
  #wss: WebSocketServer | undefined;
  #outcomes = new Map<string, FakeVerdict>();
  #eventSeq = 0;
  port = 0;

  constructor(options: FakeServerOptions = {}) {
    this.options = options;
  }

  get url(): string {
    return `ws://127.0.0.1:${this.port}/ws`;
  }

  get eventSeq(): number {
    return this.#eventSeq;
  }

  async start(port = 0): Promise<this> {
    const wss = new WebSocketServer({ host: '127.0.0.1', port });
    await new Promise<void>((resolve) => wss.once('listening', () => resolve()));
    this.port = (wss.address() as AddressInfo).port;
    this.#wss = wss;
    wss.on('connection', (ws) => {
      this.sockets.add(ws);
      ws.on('close', () => this.sockets.delete(ws));
      ws.on('message', (raw, isBinary) => {
        const data = Buffer.isBuffer(raw) ? raw : Buffer.from(raw as ArrayBuffer);
        this.wire.push({ bytes: data.length, binary: isBinary });
        this.#onMessage(ws, isBinary ? inflateRawSync(data).toString('utf8') : data.toString('utf8'));
      });
    });
    return this;
  }

  /** Frames of a type received so far. */
  received(type: string): RawFrame[] {
    return this.frames.filter((f) => f.type === type);
  }

  /** Publishes an event to every open socket. */
  publish(topic: string, name: string, data: unknown): number {
    const seq = ++this.#eventSeq;
    const text = JSON.stringify({ type: 'event', seq, topic, name, at: Date.now(), data });
    for (const ws of this.sockets) ws.send(text);
    return seq;
  }

  /** Cuts every connection without a close handshake. */
  dropAll(): void {
    for (const ws of this.sockets) ws.terminate();
  }

  /** Writes one frame (JSON) to every open socket, e.g. a `goaway` before a `closeAll(1012)`. */
  sendAll(frame: object): void {
    const text = JSON.stringify(frame);
    for (const ws of this.sockets) ws.send(text);
  }

  closeAll(code: number, reason = ''): void {
    for (const ws of this.sockets) ws.close(code, reason);
  }

  async stop(): Promise<void> {
    this.dropAll();
    const wss = this.#wss;
    this.#wss = undefined;
    if (wss) await new Promise<void>((resolve) => wss.close(() => resolve()));
  }

  #onMessage(ws: WebSocket, text: string): void {
    const frame = JSON.parse(text) as RawFrame;
    this.frames.push(frame);
    switch (frame.type) {
      case 'hello': {
        if (this.options.welcome === false) return;
        if (this.options.token !== undefined && frame.token !== this.options.token) {
          ws.close(4401, 'unauthenticated');
          return;
        }
        const resumed = frame.resume !== undefined && (this.options.resumed ?? true);
        const welcome = {
          type: 'welcome',
          sessionId: `s${this.frames.length}`,
          serverTime: Date.now(),
          eventSeq: this.#eventSeq,
          resumed,
          limits: this.options.limits ?? { maxFrameBytes: 1_048_576, maxBatchSize: 500, maxInFlight: 16 },
          ...(this.options.deflate && (frame.codecs as string[] | undefined)?.includes('deflate-raw')
            ? { codec: 'deflate-raw' }
            : {}),
        };
        ws.send(JSON.stringify(welcome));
        return;
      }
      case 'ping':
        if (this.options.pong ?? true)
          ws.send(JSON.stringify({ type: 'pong', ts: frame.ts, serverTime: Date.now() }));
        return;
      case 'subscribe':
      case 'unsubscribe':
        return;
      default:
        this.#onLogical(ws, frame);
    }
  }

  #onLogical(ws: WebSocket, frame: RawFrame): void {
    const error = this.options.errorFor?.(frame);
    if (error !== undefined) {
      ws.send(
        JSON.stringify({ type: 'error', ...error, ref: frame.type === 'batch' ? frame.seq : frame.id }),
      );
      return;
    }
    switch (frame.type) {
      case 'batch': {
        const ack = JSON.stringify(this.#batchAck(frame));
        this.#later(() => ws.readyState === ws.OPEN && ws.send(ack));
        return;
      }
      default: {
        const ack = JSON.stringify(this.#singleAck(frame));
        this.#later(() => ws.readyState === ws.OPEN && ws.send(ack));
      }
    }
  }

  #later(fn: () => void): void {
    if (this.options.dropAcks) return;
    const delay = this.options.ackDelayMs ?? 0;
    if (delay > 0) setTimeout(fn, delay);
    else fn();
  }

  #decide(type: string, id: string, data: unknown): { verdict: FakeVerdict; duplicate: boolean } {
    const earlier = this.#outcomes.get(id);
    if (earlier !== undefined && 'accept' in earlier && earlier.accept)
      return { verdict: earlier, duplicate: true };
    const verdict = this.options.verdict?.(type, id, data) ?? { accept: true };
    this.#outcomes.set(id, verdict);
    if ('accept' in verdict && verdict.accept) this.applied.push({ type, id, data });
    return { verdict, duplicate: false };
  }

  #batchAck(frame: RawFrame): RawFrame {
    const results: Record<
      string,
      { accepted: string[]; duplicates: string[]; rejected: RawFrame[]; info: RawFrame }
    > = {};
    const batches = frame.batches as Record<string, { id: string; data: unknown }[]>;
    const order =
      (frame.order as [string, number][] | undefined) ??
      Object.entries(batches).map(([t, l]) => [t, l.length]);
    const taken = new Map<string, number>();
    for (const [type, count] of order) {
      const list = batches[type] ?? [];
      const start = taken.get(type) ?? 0;
      taken.set(type, start + count);
      for (const item of list.slice(start, start + count)) {
        results[type] ??= { accepted: [], duplicates: [], rejected: [], info: {} };
        const r = results[type];
        const { verdict, duplicate } = this.#decide(type, item.id, item.data);
        if ('omit' in verdict) continue;
        if (verdict.accept && duplicate) r.duplicates.push(item.id);
        else if (verdict.accept) {
          r.accepted.push(item.id);
          if (verdict.info) r.info[item.id] = verdict.info;
        } else
          r.rejected.push({
            id: item.id,
            code: verdict.code,
            message: verdict.message ?? verdict.code,
            data: verdict.data,
          });
      }
    }
    return { type: 'ack', seq: frame.seq, results };
  }

  #singleAck(frame: RawFrame): RawFrame {
    const id = String(frame.id);
    const { verdict, duplicate } = this.#decide(String(frame.type), id, frame.data);
    if ('omit' in verdict) return { type: 'ack', id, ok: false, code: 'INTERNAL', message: 'omitted' };
    if (verdict.accept)
      return {
        type: 'ack',
        id,
        ok: true,
        ...(duplicate ? { duplicate } : {}),
        ...(verdict.info ? { info: verdict.info } : {}),
      };
    return {
      type: 'ack',
      id,
      ok: false,
      code: verdict.code,
      message: verdict.message ?? verdict.code,
      data: verdict.data,
    };
  }
}
