import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import type { Logger } from 'pino';

const DRIVER_PATH = createRequire(import.meta.url).resolve('better-sqlite3');

// Plain CommonJS run by an eval worker, so it needs no build step and no file next to the bundle.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driverPath);
const db = new Database(workerData.file);
db.pragma('busy_timeout = 1000');
const run = (mode) => {
  const [r] = db.pragma('wal_checkpoint(' + mode + ')');
  const report = { busy: r.busy, log: r.log, checkpointed: r.checkpointed };
  parentPort.postMessage({ type: 'checkpoint', ...report });
  return report;
};
const checkpoint = () => {
  try {
    run('PASSIVE');
  } catch (error) {
    parentPort.postMessage({ type: 'error', message: String(error && error.message || error) });
  }
};
// Requests from the store: answered with the same id.
const requests = {
  // PASSIVE first, so the writer is held only for the few frames written since.
  truncate: () => {
    run('PASSIVE');
    return run('TRUNCATE');
  },
  count: (tables) => Object.fromEntries(
    tables.map((t) => [t, db.prepare('select count(*) from "' + t + '"').pluck().get()]),
  ),
};
const timer = setInterval(checkpoint, workerData.intervalMs);
parentPort.on('message', (message) => {
  if (message && typeof message === 'object') {
    try {
      parentPort.postMessage({ type: 'reply', id: message.id, result: requests[message.kind](message.tables) });
    } catch (error) {
      parentPort.postMessage({ type: 'reply', id: message.id, error: String(error && error.message || error) });
    }
    return;
  }
  if (message !== 'stop') return;
  clearInterval(timer);
  checkpoint();
  db.close();
  parentPort.close();
});
`;

type WorkerMessage =
  | ({ type: 'checkpoint' } & CheckpointReport)
  | { type: 'reply'; id: number; result?: unknown; error?: string }
  | { type: 'error'; message: string };

export interface CheckpointReport {
  /** WAL frames in the log, and how many of them are now copied into the database. */
  log: number;
  checkpointed: number;
}

/**
 * Copies the WAL into the database file from a worker thread with its own connection, so the
 * writer's COMMIT never pays for a checkpoint (the writer runs with `wal_autocheckpoint = 0`).
 * PASSIVE checkpoints never block the writer or readers.
 */
export class WalCheckpointer {
  readonly #worker: Worker;
  readonly #exited: Promise<void>;
  #lastReport: CheckpointReport = { log: 0, checkpointed: 0 };
  readonly #pending = new Map<number, { resolve(result: unknown): void; reject(error: Error): void }>();
  #nextRequest = 0;
  #gone: Error | undefined;

  /** `onCrash` runs if the worker dies (the writer should then checkpoint on its own again). */
  constructor(options: { file: string; intervalMs: number; logger: Logger; onCrash?: () => void }) {
    this.#worker = new Worker(WORKER_SOURCE, {
      eval: true,
      workerData: { file: options.file, intervalMs: options.intervalMs, driverPath: DRIVER_PATH },
    });
    this.#worker.unref();
    this.#worker.on('message', (message: WorkerMessage) => {
      if (message.type === 'checkpoint')
        this.#lastReport = { log: message.log, checkpointed: message.checkpointed };
      else if (message.type === 'reply') this.#settle(message);
      else options.logger.warn({ reason: message.message }, 'WAL checkpoint failed');
    });
    this.#worker.on('error', (err) => {
      options.logger.error({ err }, 'WAL checkpoint worker crashed; the writer checkpoints again');
      this.#fail(err);
      options.onCrash?.();
    });
    this.#exited = new Promise((resolve) =>
      this.#worker.once('exit', () => {
        this.#fail(new Error('the WAL checkpoint worker has stopped'));
        resolve();
      }),
    );
  }

  /**
   * A PASSIVE then a TRUNCATE checkpoint: the WAL is copied back and cut to zero bytes. The
   * writer waits (its busy timeout) only while the frames since the PASSIVE one are copied;
   * `busy: 1` when a reader or the writer kept it from finishing (the next call tries again).
   */
  truncate(): Promise<CheckpointReport & { busy: number }> {
    return this.#request('truncate') as Promise<CheckpointReport & { busy: number }>;
  }

  /** `count(*)` of each table on the worker's own connection, so the event loop never waits for it. */
  countRows<T extends string>(tables: readonly T[]): Promise<Record<T, number>> {
    return this.#request('count', tables) as Promise<Record<T, number>>;
  }

  #request(kind: 'truncate' | 'count', tables?: readonly string[]): Promise<unknown> {
    if (this.#gone) return Promise.reject(this.#gone);
    const id = ++this.#nextRequest;
    return new Promise((resolve, reject) => {
      this.#pending.set(id, { resolve, reject });
      this.#worker.postMessage({ id, kind, tables });
    });
  }

  #settle(reply: { id: number; result?: unknown; error?: string }): void {
    const pending = this.#pending.get(reply.id);
    if (!pending) return;
    this.#pending.delete(reply.id);
    if (reply.error === undefined) pending.resolve(reply.result);
    else pending.reject(new Error(reply.error));
  }

  #fail(error: Error): void {
    this.#gone ??= error;
    for (const pending of this.#pending.values()) pending.reject(error);
    this.#pending.clear();
  }

  /** False once the worker has crashed or stopped (requests then fail at once). */
  get alive(): boolean {
    return this.#gone === undefined;
  }

  /** The outcome of the latest checkpoint. */
  get lastReport(): CheckpointReport {
    return this.#lastReport;
  }

  /** Runs a last checkpoint and ends the worker. */
  async stop(): Promise<void> {
    // Keep the process alive until the last checkpoint is done.
    this.#worker.ref();
    this.#worker.postMessage('stop');
    await this.#exited;
  }
}
