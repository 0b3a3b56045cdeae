import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { pino } from 'pino';
import { createClient } from 'redis';
import { type AvGymServer, createServer, parseConfig } from '../src/index.js';
import { API_TOKEN, TestClient } from './helpers.js';

const repoRoot = fileURLToPath(new URL('../../..', import.meta.url));

/** The admin PostgreSQL URL and the Redis URL the scale-out suites run against (unset: skipped). */
export const SCALE_OUT = { databaseUrl: process.env.DATABASE_URL, redisUrl: process.env.REDIS_URL };
export const SKIP_MESSAGE =
  'needs DATABASE_URL (admin, e.g. postgres://postgres@127.0.0.1:5432/postgres) and REDIS_URL (e.g. redis://127.0.0.1:6379): skipped';

/** A Redis stream key no other run uses. */
export const uniqueStream = () =>
  `av-gym-test:${Date.now().toString(36)}-${randomBytes(4).toString('hex')}:events`;

export async function deleteRedisKey(url: string, key: string): Promise<void> {
  const client = createClient({ url });
  client.on('error', () => {});
  await client.connect();
  await client.del(key);
  client.destroy();
}

/** One query against a database, on a connection of its own. */
export async function query<T extends Record<string, unknown>>(url: string, text: string): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(text)).rows;
  } finally {
    await client.end();
  }
}

export interface NodeEnv {
  databaseUrl: string;
  redisUrl: string;
  redisStream: string;
  seedDemo?: boolean;
  /** A fixed port (a node restarted in place keeps its address); default a free one. */
  port?: number;
  /** More variables for the node (e.g. DRAIN_*). */
  extraEnv?: Record<string, string>;
}

export interface NodeProcess {
  child: ChildProcess;
  url: string;
  wsUrl: string;
  output(): string;
  /** SIGKILL, and wait for the exit. */
  kill(): Promise<void>;
  /** SIGTERM (graceful), SIGKILL after 5 s. */
  stop(): Promise<void>;
  /** The exit code once the process has exited (null while it runs, or when a signal ended it). */
  exitCode(): number | null;
}

/** Runs `main.ts` as a child process on a free port and resolves once it listens. */
export function spawnNode(env: NodeEnv): Promise<NodeProcess> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'av-gym-node-'));
  const child = spawn(
    process.execPath,
    ['--conditions=av-gym-source', '--import', 'tsx', 'packages/server/src/main.ts'],
    {
      cwd: repoRoot,
      env: {
        ...process.env,
        PORT: String(env.port ?? 0),
        HOST: '127.0.0.1',
        DATA_DIR: dataDir,
        DATABASE_URL: env.databaseUrl,
        REDIS_URL: env.redisUrl,
        REDIS_STREAM: env.redisStream,
        AV_GYM_TOKENS: API_TOKEN,
        AV_GYM_ADMIN_PASSWORD: 'admin-password-for-tests',
        SEED_DEMO: env.seedDemo ? '1' : '0',
        SEED_HISTORY: '0',
        LOG_LEVEL: 'warn',
        ...env.extraEnv,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let out = '';
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const cleanup = () => rmSync(dataDir, { recursive: true, force: true });
  const end = async (signal: NodeJS.Signals) => {
    if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
    await exited;
    clearTimeout(timer);
    cleanup();
  };
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`node did not start in 30 s: ${out}`));
    }, 30_000);
    const onData = (chunk: Buffer) => {
      out += chunk.toString();
      const m = /listening on (http:\/\/[^\s]+)/.exec(out);
      if (!m) return;
      clearTimeout(timer);
      const url = m[1] as string;
      resolve({
        child,
        url,
        wsUrl: `${url.replace(/^http/, 'ws')}/ws`,
        output: () => out,
        kill: () => end('SIGKILL'),
        stop: () => end('SIGTERM'),
        exitCode: () => child.exitCode,
      });
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      cleanup();
      reject(new Error(`node exited (${code}) before listening: ${out}`));
    });
  });
}

/** A node inside this process (for tests that cut its database or Redis link). */
export async function startNode(env: NodeEnv): Promise<{ server: AvGymServer; url: string; wsUrl: string }> {
  const config = parseConfig({
    PORT: '0',
    DATABASE_URL: env.databaseUrl,
    REDIS_URL: env.redisUrl,
    REDIS_STREAM: env.redisStream,
    AV_GYM_TOKENS: API_TOKEN,
    AV_GYM_ADMIN_PASSWORD: 'admin-password-for-tests',
    SEED_DEMO: env.seedDemo ? '1' : '0',
    SEED_HISTORY: '0',
    LOG_LEVEL: 'silent',
  });
  const server = createServer(
    { ...config, staticDir: path.join(tmpdir(), 'av-gym-no-dashboard') },
    { logger: pino({ level: 'silent' }), shutdownGraceMs: 10 },
  );
  const url = await server.listen();
  return { server, url, wsUrl: `${url.replace(/^http/, 'ws')}/ws` };
}

/** A free TCP port on loopback. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

/** A throwaway `redis-server` on its own port (never the machine's shared one), killable and restartable. */
export class ThrowawayRedis {
  private child: ChildProcess | undefined;
  constructor(readonly port: number) {}

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  async start(): Promise<void> {
    const child = spawn(
      'redis-server',
      ['--port', String(this.port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
      { stdio: 'ignore' },
    );
    this.child = child;
    let spawnError: Error | undefined;
    child.once('error', (error) => {
      spawnError = error;
    });
    const deadline = Date.now() + 10_000;
    for (;;) {
      if (spawnError)
        throw new Error(`cannot run redis-server (needed for this test): ${spawnError.message}`);
      const ok = await new Promise<boolean>((resolve) => {
        const socket = net.connect(this.port, '127.0.0.1', () => {
          socket.destroy();
          resolve(true);
        });
        socket.once('error', () => resolve(false));
      });
      if (ok) return;
      if (Date.now() > deadline) throw new Error(`redis-server did not start on ${this.port}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  /** SIGKILL and wait for the exit. */
  async kill(): Promise<void> {
    const child = this.child;
    this.child = undefined;
    if (!child || child.exitCode !== null) return;
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGKILL');
    await exited;
  }
}

/** A TCP proxy in front of PostgreSQL whose link can be cut (every socket dropped, new ones refused) and restored. */
export class CuttableProxy {
  private readonly server: net.Server;
  private readonly sockets = new Set<net.Socket>();
  private cutNow = false;
  port = 0;

  constructor(
    private readonly targetHost: string,
    private readonly targetPort: number,
  ) {
    this.server = net.createServer((client) => {
      if (this.cutNow) {
        client.destroy();
        return;
      }
      const upstream = net.connect(this.targetPort, this.targetHost);
      for (const s of [client, upstream]) {
        this.sockets.add(s);
        s.on('error', () => {});
        s.on('close', () => {
          this.sockets.delete(s);
          client.destroy();
          upstream.destroy();
        });
      }
      client.pipe(upstream);
      upstream.pipe(client);
    });
  }

  async listen(): Promise<number> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.address() as net.AddressInfo).port;
    return this.port;
  }

  /** `url` with its host and port pointed at the proxy. */
  via(url: string): string {
    const u = new URL(url);
    u.hostname = '127.0.0.1';
    u.port = String(this.port);
    return u.toString();
  }

  cut(): void {
    this.cutNow = true;
    for (const s of this.sockets) s.destroy();
  }

  restore(): void {
    this.cutNow = false;
  }

  async close(): Promise<void> {
    this.cut();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

type Ack = {
  type: 'ack';
  seq: number;
  results: Record<
    string,
    { accepted: string[]; duplicates?: string[]; rejected?: { id: string; code: string }[] }
  >;
};

/** A desk that sends batch frames and waits for their acks. */
export class Desk {
  private seq = 0;
  constructor(readonly client: TestClient) {}

  static async open(
    wsUrl: string,
    hello: Record<string, unknown> = {},
  ): Promise<{ desk: Desk; welcome: Record<string, unknown> }> {
    const client = new TestClient(wsUrl);
    const welcome = await client.hello(hello);
    return { desk: new Desk(client), welcome };
  }

  /** Sends one batch frame (without waiting); returns its frame seq. */
  sendBatch(batches: Record<string, unknown[]>): number {
    const s = ++this.seq;
    this.client.send({ type: 'batch', seq: s, batches });
    return s;
  }

  async ack(seq: number, timeoutMs = 15_000): Promise<Ack> {
    const f = await this.client.next(
      (x) => x.type === 'ack' && (x as { seq?: number }).seq === seq,
      timeoutMs,
    );
    return f as unknown as Ack;
  }

  async write(batches: Record<string, unknown[]>): Promise<Ack> {
    return this.ack(this.sendBatch(batches));
  }

  /** Seqs of every event received, in arrival order. */
  seqs(): number[] {
    return this.client.events().map((e) => (e as { seq: number }).seq);
  }
}

/** Ids of one type's result by outcome. */
export function outcomes(ack: Ack, type: string) {
  const r = ack.results[type] ?? { accepted: [] };
  return { accepted: r.accepted, duplicates: r.duplicates ?? [], rejected: r.rejected ?? [] };
}
