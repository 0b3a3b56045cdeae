import { randomUUID } from 'node:crypto';
import { createRequire } from 'node:module';
import type { ServerEvent } from '@av-gym/protocol';
import type { Logger } from 'pino';
import { pino } from 'pino';
import type * as Redis from 'redis';
import { type Clock, type RandomSource, sleep, systemClock, systemRandom } from '../../clock.js';
import type { Broker, BrokerFigures, BrokerListener, RevocationBrokerListener } from '../broker.js';
import { decodeRevocation, encodeRevocation } from './revocation-message.js';
import { SeqReorderer } from './seq-reorderer.js';

export interface RedisBrokerOptions {
  /** `redis://host:port[/db]`. */
  url: string;
  /** The stream every node appends to and reads. Default `av-gym:events`. */
  streamKey?: string;
  /** Stream entries (published batches) kept for resume, trimmed approximately. Default 10000. */
  historyEntries?: number;
  /** How long delivery waits for a missing seq before reading it from `fillGap` or moving on. Default 500. */
  gapWaitMs?: number;
  /** Reads committed events that never came through Redis (a node died between COMMIT and publish). */
  fillGap?(fromSeq: number, toSeq: number): Promise<readonly ServerEvent[]>;
  /** The newest committed seq (the store's): polled so a missing last event is noticed too. */
  latestSeq?(): Promise<number>;
  /** How often `latestSeq` is polled. Default 1000. */
  tailCheckMs?: number;
  /** Batches kept while Redis is unreachable; the oldest go first past this. Default 10000. */
  maxOutbox?: number;
  /** How long `ready()` waits for Redis at start. Default 10000. */
  connectTimeoutMs?: number;
  logger?: Logger;
  /** Timers of the reader, the outbox, the tail check and gap waits. Default: the system clock. */
  clock?: Clock;
  /** The reconnect jitter. Default: `Math.random`. */
  random?: RandomSource;
}

/** Revocation entries kept (trimmed approximately): enough for a node away a while to catch up. */
const REVOCATION_ENTRIES = 1_000;

type StreamReply = { name: string; messages: { id: string; message: Record<string, string> }[] };

/**
 * The broker for several nodes: each publish is appended (XADD, capped) to one Redis stream
 * that every node, this one included, reads (blocking XREAD), so the stream is both the
 * fan-out and the shared resume history. A {@link SeqReorderer} delivers events in global
 * seq order, drops repeats, and fills seqs that never arrive from `fillGap`. While Redis is
 * away, publishes wait in a bounded outbox and the reader retries; both resume by themselves.
 * Revocations go through a second, short stream `<streamKey>:revocations` read by the same
 * blocking XREAD: delivered on this node at once, on the others within milliseconds, and to a
 * node that lost Redis for a while once it is back (it reads on from the last entry it saw).
 * @example
 * const broker = new RedisBroker({ url: 'redis://127.0.0.1:6379', logger });
 * await broker.ready();
 */
export class RedisBroker implements Broker {
  readonly streamKey: string;
  /** The stream revocations cross. */
  readonly revocationKey: string;
  readonly #nodeId = randomUUID();
  readonly #writer;
  readonly #reader;
  readonly #listeners = new Set<BrokerListener>();
  readonly #revocationListeners = new Set<RevocationBrokerListener>();
  readonly #reorderer: SeqReorderer;
  readonly #logger: Logger;
  readonly #historyEntries: number;
  readonly #maxOutbox: number;
  readonly #connectTimeoutMs: number;
  readonly #latestSeq: (() => Promise<number>) | undefined;
  readonly #tailCheckMs: number;
  readonly #clock: Clock;
  #tailTimer: unknown;
  #outbox: string[] = [];
  #flushing: Promise<void> | undefined;
  #lastId = '0-0';
  #lastRevocationId = '0-0';
  #readLoop: Promise<void> | undefined;
  #closing = false;
  #closed = false;
  #started: Promise<void> | undefined;
  readonly #figures: BrokerFigures = { outboxBatches: 0, outboxDropped: 0, gapsSkipped: 0 };

  constructor(options: RedisBrokerOptions) {
    this.streamKey = options.streamKey ?? 'av-gym:events';
    this.revocationKey = `${this.streamKey}:revocations`;
    this.#logger = options.logger ?? pino({ level: 'silent' });
    this.#historyEntries = options.historyEntries ?? 10_000;
    this.#maxOutbox = options.maxOutbox ?? 10_000;
    this.#connectTimeoutMs = options.connectTimeoutMs ?? 10_000;
    this.#latestSeq = options.latestSeq;
    this.#tailCheckMs = options.tailCheckMs ?? 1_000;
    this.#clock = options.clock ?? systemClock;
    const random = options.random ?? systemRandom;
    const socket = {
      connectTimeout: 2_000,
      // Full jitter, capped at 1 s: a returning Redis is picked up within about a second.
      reconnectStrategy: (retries: number) => Math.round(random() * Math.min(1_000, 50 * 2 ** retries)),
    };
    // Loaded on first use: a single node never loads it (with pg, ~19 MB of an idle server's RSS).
    const { createClient } = createRequire(import.meta.url)('redis') as typeof Redis;
    this.#writer = createClient({ url: options.url, socket });
    this.#reader = this.#writer.duplicate();
    for (const [role, client] of [
      ['writer', this.#writer],
      ['reader', this.#reader],
    ] as const) {
      client.on('error', (err: unknown) => this.#logger.warn({ err, role }, 'redis connection error'));
    }
    this.#reorderer = new SeqReorderer({
      deliver: (events) => this.#deliver(events),
      gapWaitMs: options.gapWaitMs ?? 500,
      ...(options.fillGap ? { fill: options.fillGap } : {}),
      onGapSkipped: (from, to) => {
        this.#figures.gapsSkipped++;
        this.#logger.warn({ from, to }, 'event seqs never arrived; delivery moved past them');
      },
      clock: this.#clock,
    });
  }

  publish(events: ServerEvent[]): void {
    if (this.#closing || events.length === 0) return;
    // Delivered here too only once read back from the stream: a desk never sees an event that
    // other nodes may not have, so it can resume anywhere.
    this.#outbox.push(JSON.stringify(events));
    if (this.#outbox.length > this.#maxOutbox) {
      this.#outbox.shift();
      this.#figures.outboxDropped++;
    }
    this.#flushing ??= this.#flush().finally(() => {
      this.#flushing = undefined;
    });
  }

  subscribe(listener: BrokerListener): () => void {
    const own: BrokerListener = (events) => listener(events);
    this.#listeners.add(own);
    return () => {
      this.#listeners.delete(own);
    };
  }

  publishRevocation(credentialIds: readonly string[], reason: string): void {
    if (this.#closing || credentialIds.length === 0) return;
    // This node's sockets close now, not after a round trip; its own message is skipped when it comes back.
    this.#deliverRevocation(credentialIds, reason);
    for (const payload of encodeRevocation(this.#nodeId, credentialIds, reason)) {
      // Queued by the client while Redis is away and sent once it is back.
      const trim = { strategy: 'MAXLEN', strategyModifier: '~', threshold: REVOCATION_ENTRIES } as const;
      this.#writer.xAdd(this.revocationKey, '*', { r: payload }, { TRIM: trim }).catch((err: unknown) => {
        this.#logger.warn(
          { err },
          'revocation not published; other nodes close those sockets at expiry only',
        );
      });
    }
  }

  onRevocation(listener: RevocationBrokerListener): () => void {
    const own: RevocationBrokerListener = (ids, reason) => listener(ids, reason);
    this.#revocationListeners.add(own);
    return () => {
      this.#revocationListeners.delete(own);
    };
  }

  ready(): Promise<void> {
    this.#started ??= this.#start();
    return this.#started;
  }

  healthy(): boolean {
    return !this.#closed && this.#writer.isReady && this.#reader.isReady;
  }

  figures(): BrokerFigures {
    return { ...this.#figures, outboxBatches: this.#outbox.length };
  }

  async recent(): Promise<readonly ServerEvent[]> {
    const entries =
      (await this.#writer.xRevRange(this.streamKey, '+', '-', { COUNT: this.#historyEntries })) ?? [];
    const bySeq = new Map<number, ServerEvent>();
    for (const entry of entries) for (const e of parseEntry(entry.message)) bySeq.set(e.seq, e);
    const seqs = [...bySeq.keys()].sort((a, b) => a - b);
    let from = seqs.length - 1;
    while (from > 0 && seqs[from - 1] === (seqs[from] as number) - 1) from--;
    return seqs.slice(Math.max(0, from)).map((s) => bySeq.get(s) as ServerEvent);
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closing = true;
    // Give what was committed a moment to reach Redis; never hang shutdown on a lost Redis.
    if (this.#flushing) await Promise.race([this.#flushing, sleep(this.#clock, 1_000)]);
    this.#closed = true;
    this.#clock.clearTimeout(this.#tailTimer);
    this.#reorderer.close();
    this.#listeners.clear();
    this.#revocationListeners.clear();
    for (const client of [this.#writer, this.#reader]) {
      if (client.isOpen) client.destroy();
    }
    await this.#readLoop?.catch(() => {});
  }

  async #start(): Promise<void> {
    const connect = Promise.all([this.#writer.connect(), this.#reader.connect()]);
    let timer: unknown;
    const timeout = new Promise<never>((_, reject) => {
      timer = this.#clock.setTimeout(
        () => reject(new Error(`Redis did not answer within ${this.#connectTimeoutMs} ms; check REDIS_URL`)),
        this.#connectTimeoutMs,
      );
    });
    try {
      await Promise.race([connect, timeout]);
    } catch (error) {
      for (const client of [this.#writer, this.#reader]) if (client.isOpen) client.destroy();
      throw error;
    } finally {
      this.#clock.clearTimeout(timer);
    }
    const newest = (await this.#writer.xRevRange(this.streamKey, '+', '-', { COUNT: 1 })) ?? [];
    this.#lastId = newest[0]?.id ?? '0-0';
    // Revocations from before this node started name sockets it never had.
    const newestRevocation = (await this.#writer.xRevRange(this.revocationKey, '+', '-', { COUNT: 1 })) ?? [];
    this.#lastRevocationId = newestRevocation[0]?.id ?? '0-0';
    const recent = await this.recent();
    const last = recent[recent.length - 1];
    // After the stream's newest run (what the gateway's history is filled with); for an empty (or
    // restarted) stream, or one left by another database (newer than the store), after the store's
    // newest seq. Anything committed later arrives or is filled.
    const latest = this.#latestSeq ? await this.#latestSeq() : undefined;
    const start = last && (latest === undefined || last.seq <= latest) ? last.seq : (latest ?? -1);
    if (start >= 0 && this.#reorderer.nextSeq === undefined) this.#reorderer.startAfter(start);
    this.#readLoop = this.#read();
    if (this.#latestSeq) this.#checkTail(this.#latestSeq);
  }

  /** Every `tailCheckMs`: the store's newest seq, so a last event that never arrives is noticed too. */
  #checkTail(latestSeq: () => Promise<number>): void {
    this.#tailTimer = this.#clock.setTimeout(() => {
      if (this.#closed) return;
      this.#checkTail(latestSeq);
      latestSeq().then(
        (seq) => this.#reorderer.expectUpTo(seq),
        () => {},
      );
    }, this.#tailCheckMs);
    // Never what keeps the process alive (a real timer has unref; a test clock's handle may not).
    (this.#tailTimer as { unref?(): void } | undefined)?.unref?.();
  }

  async #read(): Promise<void> {
    while (!this.#closed) {
      try {
        const reply = await this.#reader.xRead(
          [
            { key: this.streamKey, id: this.#lastId },
            { key: this.revocationKey, id: this.#lastRevocationId },
          ],
          { BLOCK: 1_000, COUNT: 500 },
        );
        if (!reply || this.#closed) continue;
        for (const stream of reply as StreamReply[]) {
          if (stream.name === this.revocationKey) {
            for (const m of stream.messages) {
              this.#lastRevocationId = m.id;
              this.#onRevocationMessage(m.message.r ?? '');
            }
            continue;
          }
          for (const m of stream.messages) {
            this.#lastId = m.id;
            this.#reorderer.push(parseEntry(m.message));
          }
        }
      } catch (err) {
        if (this.#closed) return;
        this.#logger.debug({ err }, 'redis read failed; retrying');
        await sleep(this.#clock, 200);
      }
    }
  }

  async #flush(): Promise<void> {
    while (this.#outbox.length > 0 && !this.#closed) {
      const payload = this.#outbox[0] as string;
      try {
        await this.#writer.xAdd(
          this.streamKey,
          '*',
          { e: payload },
          { TRIM: { strategy: 'MAXLEN', strategyModifier: '~', threshold: this.#historyEntries } },
        );
        if (this.#outbox[0] === payload) this.#outbox.shift();
      } catch (err) {
        if (this.#closed) return;
        this.#logger.debug({ err }, 'redis publish failed; retrying');
        await sleep(this.#clock, 200);
      }
    }
  }

  #onRevocationMessage(payload: string): void {
    const message = decodeRevocation(payload);
    if (!message) {
      this.#logger.warn({ key: this.revocationKey }, 'ignored an entry that is not a revocation');
      return;
    }
    if (message.from !== this.#nodeId) this.#deliverRevocation(message.ids, message.reason);
  }

  #deliverRevocation(ids: readonly string[], reason: string): void {
    for (const listener of [...this.#revocationListeners]) {
      try {
        listener(ids, reason);
      } catch (err) {
        this.#logger.error({ err }, 'revocation listener failed');
      }
    }
  }

  #deliver(events: readonly ServerEvent[]): void {
    for (const listener of [...this.#listeners]) {
      try {
        listener(events);
      } catch (err) {
        this.#logger.error({ err }, 'event listener failed');
      }
    }
  }
}

function parseEntry(message: Record<string, string>): ServerEvent[] {
  try {
    const parsed = JSON.parse(message.e ?? '[]') as unknown;
    return Array.isArray(parsed) ? (parsed as ServerEvent[]) : [];
  } catch {
    return [];
  }
}
