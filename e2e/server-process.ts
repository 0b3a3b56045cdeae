import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = fileURLToPath(new URL('..', import.meta.url));
const READY_TIMEOUT_MS = 60_000;

/** A port the OS says is free right now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}

/**
 * The real server as a child process (from source via tsx, so no server build is needed) on a
 * free port with a temp DATA_DIR and the demo gym. `stop` and `start` again keep the port and the
 * data. `env` adds or overrides variables (e.g. `AV_GYM_TOKENS`).
 */
export class ServerProcess {
  readonly adminPassword = 'e2e-admin-password';
  readonly dataDir = mkdtempSync(path.join(tmpdir(), 'av-gym-e2e-'));
  port = 0;
  private child: ChildProcess | undefined;
  private output = '';

  constructor(private readonly env: Record<string, string> = {}) {}

  /** True while the process runs. */
  get alive(): boolean {
    return this.child !== undefined && this.child.exitCode === null && this.child.signalCode === null;
  }

  /** The last lines the server printed (for failure messages). */
  get log(): string {
    return this.output;
  }

  /** Resident set size of the server process, in bytes (Linux /proc). */
  rssBytes(): number {
    const pid = this.child?.pid;
    if (pid === undefined) throw new Error('the server is not running');
    const kb = /VmRSS:\s+(\d+)\s+kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
    if (kb === undefined) throw new Error('no VmRSS in /proc status');
    return Number(kb) * 1024;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  async start(): Promise<void> {
    if (this.port === 0) this.port = await freePort();
    this.output = '';
    const child = spawn(
      process.execPath,
      ['--conditions=av-gym-source', '--import', 'tsx', 'packages/server/src/main.ts'],
      {
        cwd: repoRoot,
        env: {
          // the embedded default (SQLite, memory broker) whatever the caller's environment says
          ...Object.fromEntries(
            Object.entries(process.env).filter(([key]) => key !== 'DATABASE_URL' && key !== 'REDIS_URL'),
          ),
          PORT: String(this.port),
          HOST: '127.0.0.1',
          DATA_DIR: this.dataDir,
          AV_GYM_ADMIN_PASSWORD: this.adminPassword,
          LOG_LEVEL: 'warn',
          SEED_DEMO: '1',
          ...this.env,
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    this.child = child;
    child.stdout?.on('data', (chunk: Buffer) => this.keep(chunk));
    child.stderr?.on('data', (chunk: Buffer) => this.keep(chunk));
    await this.waitUntilReady(child);
  }

  /** Stops the server (SIGTERM, then SIGKILL after 5 s) and waits for the exit. */
  async stop(): Promise<void> {
    const child = this.child;
    this.child = undefined;
    if (!child || child.exitCode !== null) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill('SIGTERM');
    const killTimer = setTimeout(() => child.kill('SIGKILL'), 5_000);
    await exited;
    clearTimeout(killTimer);
  }

  async dispose(): Promise<void> {
    await this.stop();
    rmSync(this.dataDir, { recursive: true, force: true });
  }

  /** A staff token for the test's own HTTP look-ups. */
  async token(): Promise<string> {
    const res = await fetch(`${this.url}/api/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'admin', password: this.adminPassword }),
    });
    if (!res.ok) throw new Error(`login failed: HTTP ${res.status}`);
    return ((await res.json()) as { token: string }).token;
  }

  private keep(chunk: Buffer): void {
    this.output = (this.output + chunk.toString()).slice(-8_000);
  }

  private async waitUntilReady(child: ChildProcess): Promise<void> {
    const deadline = Date.now() + READY_TIMEOUT_MS;
    while (Date.now() < deadline) {
      if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}:\n${this.output}`);
      try {
        const res = await fetch(`${this.url}/healthz`);
        if (res.ok) return;
      } catch {
        // not listening yet
      }
      await new Promise((resolve) => setTimeout(resolve, 150));
    }
    throw new Error(`server not ready within ${READY_TIMEOUT_MS} ms:\n${this.output}`);
  }
}
