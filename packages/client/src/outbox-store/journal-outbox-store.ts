/// <reference types="node" />
import { type FileHandle, mkdir, open, readFile, rename, truncate, unlink } from 'node:fs/promises';
import { dirname } from 'node:path';
import { ClientError } from '../errors.js';
import { isStoredAction, type OutboxStore, type StoredAction, toStoredAction } from './outbox-store.js';

/** Options of {@link JournalOutboxStore}. */
export interface JournalOutboxStoreOptions {
  /** The journal file (created with its folder). One store per file: `<path>.lock` holds the owner's pid. */
  path: string;
  /** Rewrite the file once it holds this many records more than live actions. Default 2000. */
  compactAfterRecords?: number;
  /** Refuse to read a journal larger than this. Default 64 MiB. */
  maxFileBytes?: number;
}

type Waiter = { resolve: () => void; reject: (error: unknown) => void };

/**
 * An {@link OutboxStore} for Node: an append-only journal of JSON lines (`{"put":action}`,
 * `{"del":[ids]}`), written and fsynced in groups (every put or delete waiting while a write is in
 * progress goes in the next write, so 2,000 check-ins cost a handful of fsyncs, not 2,000). A
 * crash mid-write leaves at most a torn last line, which `load` drops; `load` and growth past
 * `compactAfterRecords` rewrite the file with the live actions only (temp file, fsync, rename).
 * @example
 * import { JournalOutboxStore } from '@av-gym/client/node';
 * const svc = new WebSocketService({ ..., outboxStore: new JournalOutboxStore({ path: './data/desk-1.outbox' }) });
 */
export class JournalOutboxStore implements OutboxStore {
  readonly #path: string;
  readonly #compactAfter: number;
  readonly #maxFileBytes: number;
  readonly #live = new Map<string, StoredAction>();
  #records = 0;
  #handle: FileHandle | undefined;
  #pending: string[] = [];
  #waiters: Waiter[] = [];
  #writing: Promise<void> | undefined;
  #loaded = false;
  #closed = false;
  #locked = false;

  constructor(options: JournalOutboxStoreOptions) {
    if (typeof options.path !== 'string' || options.path.length === 0) {
      throw new ClientError('INVALID_OPTION', 'JournalOutboxStore: path must be a non-empty string');
    }
    this.#path = options.path;
    this.#compactAfter = options.compactAfterRecords ?? 2_000;
    this.#maxFileBytes = options.maxFileBytes ?? 64 * 1024 * 1024;
    if (!(this.#compactAfter >= 1)) {
      throw new ClientError('INVALID_OPTION', 'JournalOutboxStore: compactAfterRecords must be at least 1');
    }
  }

  async load(): Promise<StoredAction[]> {
    if (!this.#loaded) await this.#readJournal();
    return [...this.#live.values()].map((a) => structuredClone(a));
  }

  put(actions: readonly StoredAction[]): Promise<void> {
    const lines: string[] = [];
    for (const a of actions) {
      if (this.#live.has(a.id)) continue;
      const action = toStoredAction(a);
      this.#live.set(a.id, action);
      lines.push(JSON.stringify({ put: action }));
    }
    return this.#append(lines);
  }

  delete(ids: readonly string[]): Promise<void> {
    const gone = ids.filter((id) => this.#live.delete(id));
    return this.#append(gone.length === 0 ? [] : [JSON.stringify({ del: gone })]);
  }

  async close(): Promise<void> {
    this.#closed = true;
    await this.#writing;
    await this.#handle?.close();
    this.#handle = undefined;
    if (this.#locked) await unlink(`${this.#path}.lock`).catch(() => undefined);
    this.#locked = false;
  }

  /**
   * Takes `<path>.lock` (our pid in it), so two stores never write one journal. A lock whose
   * process is gone (a crash, SIGKILL) is taken over.
   */
  async #lock(): Promise<void> {
    const lockPath = `${this.#path}.lock`;
    for (let attempt = 0; attempt < 2; attempt++) {
      try {
        const h = await open(lockPath, 'wx');
        await h.write(String(process.pid));
        await h.close();
        this.#locked = true;
        return;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      }
      const pid = Number((await readFile(lockPath, 'utf8').catch(() => '')).trim());
      if (Number.isInteger(pid) && pid > 0 && processAlive(pid)) {
        throw new ClientError(
          'OUTBOX_STORE',
          `JournalOutboxStore: ${this.#path} is in use by process ${pid}`,
        );
      }
      await unlink(lockPath).catch(() => undefined);
    }
    throw new ClientError('OUTBOX_STORE', `JournalOutboxStore: cannot take ${lockPath}`);
  }

  async #readJournal(): Promise<void> {
    await mkdir(dirname(this.#path), { recursive: true });
    if (!this.#locked) await this.#lock();
    let text = '';
    try {
      const buf = await readFile(this.#path);
      if (buf.length > this.#maxFileBytes) {
        throw new ClientError(
          'OUTBOX_STORE',
          `JournalOutboxStore: ${this.#path} is ${buf.length} bytes, over maxFileBytes ${this.#maxFileBytes}`,
        );
      }
      text = buf.toString('utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
    const lines = text.split('\n');
    // the last piece is '' after a complete final line, or the torn tail of an interrupted write
    const tail = lines.pop() ?? '';
    for (let i = 0; i < lines.length; i++) this.#replay(lines[i] ?? '', i === lines.length - 1);
    if (tail.length > 0) await truncate(this.#path, Buffer.byteLength(text) - Buffer.byteLength(tail));
    this.#loaded = true;
    await this.#compact();
  }

  /** One journal line; a line that does not parse is only tolerated last (a write cut short). */
  #replay(line: string, last: boolean): void {
    if (line.length === 0) return;
    let record: unknown;
    try {
      record = JSON.parse(line);
    } catch {
      if (last) return;
      throw new ClientError('OUTBOX_STORE', `JournalOutboxStore: ${this.#path} is corrupt mid-file`);
    }
    const r = record as { put?: unknown; del?: unknown };
    if (isStoredAction(r.put)) this.#live.set(r.put.id, toStoredAction(r.put));
    else if (Array.isArray(r.del)) for (const id of r.del) if (typeof id === 'string') this.#live.delete(id);
  }

  #append(lines: string[]): Promise<void> {
    if (this.#closed) return Promise.reject(new ClientError('OUTBOX_STORE', 'JournalOutboxStore is closed'));
    if (lines.length === 0) return this.#writing ?? Promise.resolve();
    this.#pending.push(...lines);
    const done = new Promise<void>((resolve, reject) => this.#waiters.push({ resolve, reject }));
    this.#writing ??= this.#drain();
    return done;
  }

  /** Writes and fsyncs whatever is pending, again and again, until nothing is. */
  async #drain(): Promise<void> {
    try {
      while (this.#pending.length > 0) {
        const lines = this.#pending;
        const waiters = this.#waiters;
        this.#pending = [];
        this.#waiters = [];
        try {
          if (!this.#loaded) await this.#readJournal();
          const handle = await this.#open();
          await handle.write(`${lines.join('\n')}\n`);
          await handle.sync();
          this.#records += lines.length;
          for (const w of waiters) w.resolve();
        } catch (error) {
          for (const w of waiters) w.reject(error);
        }
        if (this.#records > this.#live.size + this.#compactAfter) await this.#compact();
      }
    } finally {
      this.#writing = undefined;
    }
  }

  async #open(): Promise<FileHandle> {
    this.#handle ??= await open(this.#path, 'a');
    return this.#handle;
  }

  /** Rewrites the journal with the live actions only: temp file, fsync, rename, fsync the folder. */
  async #compact(): Promise<void> {
    const tmp = `${this.#path}.tmp`;
    const body = [...this.#live.values()].map((a) => `${JSON.stringify({ put: a })}\n`).join('');
    const out = await open(tmp, 'w');
    try {
      await out.write(body);
      await out.sync();
    } finally {
      await out.close();
    }
    await this.#handle?.close();
    this.#handle = undefined;
    await rename(tmp, this.#path);
    const dir = await open(dirname(this.#path), 'r');
    try {
      await dir.sync();
    } catch {
      // some file systems refuse fsync on a directory; the rename is still atomic
    } finally {
      await dir.close();
    }
    this.#records = this.#live.size;
  }
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists, under another user
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
