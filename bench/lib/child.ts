import { type ChildProcess, fork } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** Node flags that let a child run our TypeScript sources directly. */
export const TS_EXEC_ARGV = ['--conditions=av-gym-source', '--import', 'tsx'];

export interface ChildOptions {
  env?: Record<string, string>;
  /** Extra node flags (e.g. `--cpu-prof`). */
  execArgv?: string[];
  args?: string[];
  /** Append the child's stdout and stderr to this file instead of ours. */
  logFile?: string;
}

/** A message a bench child sends to the orchestrator over IPC. */
export interface ChildMessage {
  type: string;
  [key: string]: unknown;
}

/**
 * One child process on this machine, spoken to over IPC: `send` a command, `next(type)` waits
 * for the child's message of that type. Every wait is bounded.
 */
export class Child {
  readonly proc: ChildProcess;
  private readonly inbox: ChildMessage[] = [];
  private waiters: { type: string; resolve: (m: ChildMessage) => void; reject: (e: Error) => void }[] = [];
  private exited = false;
  readonly exit: Promise<number | null>;

  constructor(script: string, options: ChildOptions = {}) {
    const log = options.logFile ? openSync(options.logFile, 'a') : 'ignore';
    this.proc = fork(script, options.args ?? [], {
      execArgv: [...(script.endsWith('.ts') ? TS_EXEC_ARGV : []), ...(options.execArgv ?? [])],
      env: { ...process.env, ...options.env },
      stdio: options.logFile ? ['ignore', log, log, 'ipc'] : ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    if (typeof log === 'number') closeSync(log);
    this.proc.on('message', (m) => this.deliver(m as ChildMessage));
    this.exit = new Promise((resolve) => {
      this.proc.on('exit', (code) => {
        this.exited = true;
        for (const w of this.waiters) w.reject(new Error(`${script} exited (${code}) before '${w.type}'`));
        this.waiters = [];
        resolve(code);
      });
    });
  }

  get pid(): number {
    return this.proc.pid ?? -1;
  }

  send(message: ChildMessage): void {
    if (!this.exited) this.proc.send(message);
  }

  /** The next message of `type` (earlier ones of other types stay queued). */
  next<T extends { type: string } = ChildMessage>(type: string, timeoutMs: number): Promise<T> {
    const i = this.inbox.findIndex((m) => m.type === type || m.type === 'fatal');
    if (i >= 0) return this.settle(this.inbox.splice(i, 1)[0] as T);
    if (this.exited) return Promise.reject(new Error(`child exited before '${type}'`));
    return new Promise<ChildMessage>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w !== waiter);
        reject(new Error(`no '${type}' from child within ${timeoutMs} ms`));
      }, timeoutMs);
      const waiter = {
        type,
        resolve: (m: ChildMessage) => {
          clearTimeout(timer);
          resolve(m);
        },
        reject: (e: Error) => {
          clearTimeout(timer);
          reject(e);
        },
      };
      this.waiters.push(waiter);
    }).then((m) => this.settle(m as T));
  }

  /** Sends SIGTERM, then SIGKILL after `graceMs`; resolves when the child is gone. */
  async stop(graceMs = 5_000): Promise<void> {
    if (this.exited) return;
    this.proc.kill('SIGTERM');
    const timer = setTimeout(() => this.proc.kill('SIGKILL'), graceMs);
    await this.exit;
    clearTimeout(timer);
  }

  /** SIGKILL: gone at once, as a crash would leave it; resolves when the child is gone. */
  async kill(): Promise<void> {
    if (this.exited) return;
    this.proc.kill('SIGKILL');
    await this.exit;
  }

  private settle<T extends { type: string }>(m: T): Promise<T> {
    return m.type === 'fatal'
      ? Promise.reject(new Error(`child failed: ${String((m as { message?: unknown }).message)}`))
      : Promise.resolve(m);
  }

  private deliver(m: ChildMessage): void {
    const w = this.waiters.find((x) => x.type === m.type || m.type === 'fatal');
    if (w) {
      this.waiters = this.waiters.filter((x) => x !== w);
      w.resolve(m);
    } else this.inbox.push(m);
  }
}

/** Resident set size of a process in MB, from /proc (Linux), or undefined when unreadable. */
export function rssMb(pid: number): number | undefined {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = /VmRSS:\s+(\d+) kB/.exec(status)?.[1];
    return kb ? Number(kb) / 1024 : undefined;
  } catch {
    return undefined;
  }
}

/** Absolute path of a file beside the bench folder's root (`bench/<rel>`). */
export function benchPath(rel: string): string {
  return fileURLToPath(new URL(`../${rel}`, import.meta.url));
}
