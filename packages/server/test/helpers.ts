import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { inflateRawSync } from 'node:zlib';
import {
  decodeServerFrame,
  EVENT_SCHEMAS,
  type EventFrame,
  isKnownFrameErrorCode,
  isKnownMessageCode,
  type ServerFrame,
} from '@av-gym/protocol';
import { pino } from 'pino';
import { afterEach } from 'vitest';
import WebSocket from 'ws';
import type { Broker } from '../src/broker/broker.js';
import { type AvGymServer, createServer, parseConfig, type ServerConfig } from '../src/index.js';

export const API_TOKEN = 'test-api-token-0123456789';
export const ADMIN_PASSWORD = 'admin-password-for-tests';

export interface TestServer {
  server: AvGymServer;
  url: string;
  wsUrl: string;
  dataDir: string;
  config: ServerConfig;
  stop(): Promise<void>;
}

/** Starts a real server on port 0 with a fresh SQLite file in a temp folder (and `broker` when given). */
export async function startServer(
  overrides: Partial<ServerConfig> = {},
  options: { broker?: Broker } = {},
): Promise<TestServer> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'av-gym-test-'));
  const config: ServerConfig = {
    ...parseConfig({
      PORT: '0',
      DATA_DIR: dataDir,
      AV_GYM_TOKENS: API_TOKEN,
      AV_GYM_ADMIN_PASSWORD: ADMIN_PASSWORD,
      LOG_LEVEL: 'silent',
      SEED_DEMO: '0',
      // A year of demo visits only where a test asks for it (seedHistoryDays).
      SEED_HISTORY: '0',
    }),
    staticDir: path.join(dataDir, 'no-dashboard'),
    ...overrides,
  };
  const server = createServer(config, {
    logger: pino({ level: 'silent' }),
    shutdownGraceMs: 10,
    ...(options.broker ? { broker: options.broker } : {}),
  });
  const url = await server.listen();
  let stopped = false;
  return {
    server,
    url,
    wsUrl: `${url.replace(/^http/, 'ws')}/ws`,
    dataDir,
    config,
    async stop() {
      if (stopped) return;
      stopped = true;
      await server.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

type Frame = ServerFrame & Record<string, unknown>;

/**
 * Every frame a {@link TestClient} received that does not match the protocol, for the test
 * running now: the server validates what it sends. Such a frame fails the test (in `next`, and
 * after each test at the latest).
 */
const invalidFrames: string[] = [];
afterEach(() => {
  const bad = invalidFrames.splice(0);
  if (bad.length > 0) throw new Error(`the server sent ${bad.length} frame(s) off the protocol: ${bad[0]}`);
});

/** Why `text` is not a frame the server may send (its schema, known codes, event data), else undefined. */
export function protocolViolation(text: string): string | undefined {
  const decoded = decodeServerFrame(text);
  if (!decoded.ok) return decoded.message;
  const frame = decoded.frame;
  const codes: string[] = [];
  if (frame.type === 'error') codes.push(frame.code);
  if (frame.type === 'ack' && 'seq' in frame) {
    for (const r of Object.values(frame.results)) for (const x of r.rejected ?? []) codes.push(x.code);
  } else if (frame.type === 'ack' && !frame.ok) codes.push(frame.code);
  if (frame.type === 'compact_ack') {
    for (const r of Object.values(frame.types)) for (const x of r.rej ?? []) codes.push(x.code);
  }
  const known = frame.type === 'error' ? isKnownFrameErrorCode : isKnownMessageCode;
  const unknown = codes.find((code) => !known(code));
  if (unknown !== undefined) return `unknown code ${unknown}`;
  const events = frame.type === 'events' ? frame.events : frame.type === 'event' ? [frame] : [];
  for (const event of events) {
    const why = eventViolation(event);
    if (why) return `event ${event.seq}: ${why}`;
  }
  if (frame.type === 'events') {
    const first = frame.events[0];
    const last = frame.events[frame.events.length - 1];
    if (first?.seq !== frame.from || last?.seq !== frame.to)
      return 'events from/to are not its first and last seq';
  }
  return undefined;
}

function eventViolation(event: EventFrame): string | undefined {
  if (!Object.hasOwn(EVENT_SCHEMAS, event.name)) return `unknown event name ${event.name}`;
  const schema = EVENT_SCHEMAS[event.name as keyof typeof EVENT_SCHEMAS];
  if (schema.topic !== event.topic) return `${event.name} on topic ${event.topic}`;
  const parsed = schema.data.safeParse(event.data);
  return parsed.success ? undefined : `${event.name} data: ${parsed.error.issues[0]?.message ?? 'invalid'}`;
}

/**
 * A real `ws` client that records every frame and its close, and checks each frame against
 * the protocol (see {@link protocolViolation}): one that does not match fails the test.
 */
export class TestClient {
  readonly frames: Frame[] = [];
  /** Received frames that do not match the protocol, with why. */
  readonly invalid: string[] = [];
  /** How many frames came binary (compact acks under `compact-deflate`). */
  binaryFrames = 0;
  readonly ws: WebSocket;
  readonly opened: Promise<void>;
  readonly closed: Promise<{ code: number; reason: string }>;
  private waiters: (() => void)[] = [];

  constructor(url: string, options: WebSocket.ClientOptions = {}) {
    this.ws = new WebSocket(url, { perMessageDeflate: false, ...options });
    this.opened = new Promise((resolve, reject) => {
      this.ws.once('open', () => resolve());
      this.ws.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
      this.ws.once('error', reject);
    });
    this.opened.catch(() => {});
    this.closed = new Promise((resolve) => {
      this.ws.once('close', (code, reason) => {
        resolve({ code, reason: reason.toString() });
        this.wake();
      });
    });
    this.ws.on('error', () => {});
    this.ws.on('message', (data, isBinary) => {
      // binary: a compact ack under the `compact-deflate` ack format (raw DEFLATE of its JSON)
      if (isBinary) this.binaryFrames++;
      const text = isBinary ? inflateRawSync(data as Buffer).toString() : data.toString();
      const why = protocolViolation(text);
      if (why !== undefined) {
        const entry = `${why} in ${text.slice(0, 300)}`;
        this.invalid.push(entry);
        invalidFrames.push(entry);
      }
      this.frames.push(JSON.parse(text) as Frame);
      this.wake();
    });
  }

  send(frame: unknown): void {
    this.ws.send(typeof frame === 'string' ? frame : JSON.stringify(frame));
  }

  /** Waits for the first recorded frame (from `from`) that matches. */
  async next(match: (f: Frame) => boolean, timeoutMs = 5000, from = 0): Promise<Frame> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      if (this.invalid.length > 0)
        throw new Error(`the server sent a frame off the protocol: ${this.invalid[0]}`);
      const found = this.frames.slice(from).find(match);
      if (found) return found;
      if (Date.now() > deadline)
        throw new Error(
          `no matching frame in ${timeoutMs} ms; got ${JSON.stringify(this.frames).slice(0, 500)}`,
        );
      if (this.ws.readyState === WebSocket.CLOSED) throw new Error('socket closed while waiting for a frame');
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, 50);
        this.waiters.push(() => {
          clearTimeout(t);
          resolve();
        });
      });
    }
  }

  /** Opens a session: hello, then waits for welcome. */
  async hello(extra: Record<string, unknown> = {}): Promise<Frame> {
    await this.opened;
    this.send({ type: 'hello', token: API_TOKEN, clientId: 'test-desk', ...extra });
    return this.next((f) => f.type === 'welcome');
  }

  /** Every event received so far, flattened from `event` and `events` frames. */
  events(): Frame[] {
    return this.frames.flatMap((f) =>
      f.type === 'events' ? ((f as { events: Frame[] }).events ?? []) : f.type === 'event' ? [f] : [],
    );
  }

  async close(): Promise<void> {
    if (this.ws.readyState !== WebSocket.CLOSED) this.ws.terminate();
    await this.closed;
  }

  private wake(): void {
    for (const w of this.waiters.splice(0)) w();
  }
}

/** Waits until `check` holds (polling every 10 ms). */
export async function until(check: () => boolean | Promise<boolean>, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** GET/POST with the API token (or `token`) as bearer; returns status and parsed JSON. */
export async function api<T = Record<string, unknown>>(
  url: string,
  path: string,
  init: { method?: string; body?: unknown; token?: string | null } = {},
): Promise<{ status: number; body: T }> {
  const headers: Record<string, string> = {};
  const token = init.token === undefined ? API_TOKEN : init.token;
  if (token) headers.authorization = `Bearer ${token}`;
  if (init.body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(url + path, {
    method: init.method ?? 'GET',
    headers,
    ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
  });
  const text = await res.text();
  return { status: res.status, body: (text ? JSON.parse(text) : undefined) as T };
}

let counter = 0;
/** A fresh message id (unique within the test process). */
export const newId = (prefix = 'msg') => `${prefix}-${Date.now().toString(36)}-${(counter++).toString(36)}`;

/** A member_create message for a member with a chosen id. */
export function memberCreate(memberId: string, extra: Record<string, unknown> = {}) {
  return {
    id: newId('mc'),
    data: { memberId, name: `Member ${memberId}`, plan: 'standard', expiresAt: '2099-12-31', ...extra },
  };
}
