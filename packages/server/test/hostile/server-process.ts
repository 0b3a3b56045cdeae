import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = fileURLToPath(new URL('../../../..', import.meta.url));

/** The API token the hostile suite's server accepts. */
export const HOSTILE_TOKEN = 'hostile-suite-api-token-0123456789';
export const HOSTILE_ADMIN_PASSWORD = 'hostile-admin-password';

function freePort(): Promise<number> {
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
 * The server as a README user starts it (its own process, SQLite file, in-process broker, the demo
 * gym), so its RSS can be read from /proc and a crash shows as an exit.
 */
export class HostileServer {
  readonly dataDir = mkdtempSync(path.join(tmpdir(), 'av-gym-hostile-'));
  port = 0;
  private child: ChildProcess | undefined;
  private output = '';

  constructor(private readonly env: Record<string, string> = {}) {}

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  get wsUrl(): string {
    return `ws://127.0.0.1:${this.port}/ws`;
  }

  /** True while the process runs. */
  get alive(): boolean {
    return this.child !== undefined && this.child.exitCode === null && this.child.signalCode === null;
  }

  /** Resident set size of the server process, in bytes (Linux /proc). */
  rssBytes(): number {
    const pid = this.child?.pid;
    if (pid === undefined) throw new Error('the server is not running');
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = /VmRSS:\s+(\d+)\s+kB/.exec(status)?.[1];
    if (kb === undefined) throw new Error('no VmRSS in /proc status');
    return Number(kb) * 1024;
  }

  /** The last lines the server printed (for failure messages). */
  get log(): string {
    return this.output;
  }

  async start(): Promise<void> {
    this.port = await freePort();
    const child = spawn(
      process.execPath,
      ['--conditions=av-gym-source', '--import', 'tsx', 'packages/server/src/main.ts'],
      {
        cwd: repoRoot,
        env: {
          ...Object.fromEntries(
            Object.entries(process.env).filter(([key]) => key !== 'DATABASE_URL' && key !== 'REDIS_URL'),
          ),
          PORT: String(this.port),
          HOST: '127.0.0.1',
          DATA_DIR: this.dataDir,
          AV_GYM_TOKENS: HOSTILE_TOKEN,
          AV_GYM_ADMIN_PASSWORD: HOSTILE_ADMIN_PASSWORD,
          LOG_LEVEL: 'warn',
          SEED_DEMO: '1',
          ...this.env,
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    this.child = child;
    const keep = (chunk: Buffer) => {
      this.output = (this.output + chunk.toString()).slice(-8_000);
    };
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    const deadline = Date.now() + 60_000;
    while (Date.now() < deadline) {
      if (!this.alive) throw new Error(`server exited:\n${this.output}`);
      try {
        if ((await fetch(`${this.url}/healthz`)).ok) return;
      } catch {
        // not listening yet
      }
      await new Promise((r) => setTimeout(r, 150));
    }
    throw new Error(`server not ready in 60 s:\n${this.output}`);
  }

  async stop(): Promise<void> {
    const child = this.child;
    this.child = undefined;
    if (child && child.exitCode === null) {
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      child.kill('SIGTERM');
      const killTimer = setTimeout(() => child.kill('SIGKILL'), 5_000);
      await exited;
      clearTimeout(killTimer);
    }
    rmSync(this.dataDir, { recursive: true, force: true });
  }
}
