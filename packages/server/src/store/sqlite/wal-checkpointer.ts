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
const checkpoint = () => {
  try {
    const [r] = db.pragma('wal_checkpoint(PASSIVE)');
    parentPort.postMessage({ type: 'checkpoint', busy: r.busy, log: r.log, checkpointed: r.checkpointed });
  } catch (error) {
    parentPort.postMessage({ type: 'error', message: String(error && error.message || error) });
  }
};
const timer = setInterval(checkpoint, workerData.intervalMs);
parentPort.on('message', (message) => {
  if (message !== 'stop') return;
  clearInterval(timer);
  checkpoint();
  db.close();
  parentPort.close();
});
`;

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

  /** `onCrash` runs if the worker dies (the writer should then checkpoint on its own again). */
  constructor(options: { file: string; intervalMs: number; logger: Logger; onCrash?: () => void }) {
    this.#worker = new Worker(WORKER_SOURCE, {
      eval: true,
      workerData: { file: options.file, intervalMs: options.intervalMs, driverPath: DRIVER_PATH },
    });
    this.#worker.unref();
    this.#worker.on('message', (message: { type: string; message?: string } & CheckpointReport) => {
      if (message.type === 'checkpoint')
        this.#lastReport = { log: message.log, checkpointed: message.checkpointed };
      else options.logger.warn({ reason: message.message }, 'WAL checkpoint failed');
    });
    this.#worker.on('error', (err) => {
      options.logger.error({ err }, 'WAL checkpoint worker crashed; the writer checkpoints again');
      options.onCrash?.();
    });
    this.#exited = new Promise((resolve) => this.#worker.once('exit', () => resolve()));
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
