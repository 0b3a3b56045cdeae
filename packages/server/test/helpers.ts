import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { ServerFrame } from '@av-gym/protocol';
import { pino } from 'pino';
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

/** A real `ws` client that records every frame and its close. */
export class TestClient {
  readonly frames: Frame[] = [];
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
    this.ws.on('message', (data) => {
      this.frames.push(JSON.parse(data.toString()) as Frame);
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
