import { conflictKey, DEFAULT_PRIORITY, type Priority } from '@av-gym/protocol';
import { type Clock, systemClock } from '../clock.js';
import { Coalescer, DEFAULT_COALESCERS, type MergeData } from './coalescer.js';
import { AdaptiveInterval, FlushScheduler } from './flush-scheduler.js';
import { buildFrame, type OutgoingFrame } from './frame-builder.js';
import { PriorityQueue } from './priority-queue.js';
import type { QueuedMessage } from './queued-message.js';

/** Where the batcher writes frames: the socket, behind the service's connection checks. */
export interface BatchTransport {
  /**
   * `open`: a frame may go now; `busy`: backpressured (`bufferedAmount`), the batcher polls every
   * `backpressurePollMs`; `closed`: nothing until `notifyWritable` (not connected, or at the in-flight limit).
   */
  writable(): 'open' | 'busy' | 'closed';
  write(frame: OutgoingFrame): void;
}

/** Batcher settings; every number of the seed is a default here. */
export interface MessageBatcherOptions {
  /** Most messages per frame. Default 50. */
  maxBatchSize: number;
  /** Most queued (unsent) messages before low ones are dropped and high/medium refused. Default 200. */
  maxQueueSize: number;
  /** Adaptive window bounds. Defaults 25 / 150, 100 before any rate is known. */
  minIntervalMs: number;
  maxIntervalMs: number;
  initialIntervalMs: number;
  /** Messages a window aims to collect. Default 25. */
  targetBatchSize: number;
  /** Medium/low messages wait at least this long after the previous frame. Default 50. */
  minSendIntervalMs: number;
  /** Poll period while the transport is busy. Default 5. */
  backpressurePollMs: number;
  /** Batching on (default) or each message alone, at once. */
  optimization: boolean;
  /** Merge functions by type. Default: `member_update`. */
  coalescers: Readonly<Record<string, MergeData>>;
}

export const DEFAULT_BATCHER_OPTIONS: Readonly<MessageBatcherOptions> = Object.freeze({
  maxBatchSize: 50,
  maxQueueSize: 200,
  minIntervalMs: 25,
  maxIntervalMs: 150,
  initialIntervalMs: 100,
  targetBatchSize: 25,
  minSendIntervalMs: 50,
  backpressurePollMs: 5,
  optimization: true,
  coalescers: DEFAULT_COALESCERS,
});

/** What `enqueue` did with a message. */
export type EnqueueResult =
  | { status: 'queued'; message: QueuedMessage }
  | { status: 'coalesced'; into: QueuedMessage }
  /** A low-priority message found the queue full of high/medium ones: dropped and counted. */
  | { status: 'dropped' }
  /** The queue is full of high/medium messages: the message was not taken. */
  | { status: 'backpressure' };

type ByPriority = Record<Priority, number>;
const zero = (): ByPriority => ({ high: 0, medium: 0, low: 0 });

/** Counters of the batcher; cumulative ones reset with `resetStats`. */
export interface BatchingStats {
  optimization: boolean;
  batchesSent: number;
  messagesSent: number;
  avgBatchSize: number;
  maxBatchSize: number;
  currentIntervalMs: number;
  droppedByPriority: ByPriority;
  coalescedByPriority: ByPriority;
  /** Sends refused with BACKPRESSURE because the queue was full of high/medium messages. */
  refusedByPriority: ByPriority;
  /**
   * Bytes of the frames written. The batcher counts their JSON; the service reports what its
   * sender put on the wire instead (compressed frames at their compressed size).
   */
  bytesSent: number;
  /** What the same messages take as JSON text, one frame each. */
  bytesUnbatched: number;
  /** `bytesUnbatched - bytesSent`: batching and compression together. */
  bytesSaved: number;
  savedRatio: number;
  /** Frames sent compressed (`deflate-raw`); always 0 from the batcher, which writes JSON. */
  compressedFrames: number;
  /** Compressed over JSON bytes of those frames (0.3 = 70% smaller); 1 when none was compressed. */
  compressionRatio: number;
  queueDepth: number;
  queueDepthByPriority: ByPriority;
}

/**
 * Priority queues with an adaptive flush window, coalescing and a drop policy. High-priority
 * messages (and any message while batching is off) leave at the end of the current task;
 * medium and low ones leave at once when nothing was sent in the last `minSendIntervalMs`,
 * else when the adaptive window closes; a full batch leaves at once.
 * @example
 * const batcher = new MessageBatcher({ writable: () => 'open', write: (f) => socket.send(f.text) });
 * batcher.enqueue({ id: nextId(), type: 'check_in', data: { memberId: 'm_1' } });
 */
export class MessageBatcher {
  readonly #transport: BatchTransport;
  readonly #clock: Clock;
  readonly #options: MessageBatcherOptions;
  readonly #queue = new PriorityQueue();
  readonly #coalescer: Coalescer;
  readonly #interval: AdaptiveInterval;
  readonly #scheduler: FlushScheduler;
  readonly #onDrop: (message: QueuedMessage) => void;
  #frameLimit = Number.POSITIVE_INFINITY;
  #order = 0;
  #seq = 0;
  #lastFrameAtMs = Number.NEGATIVE_INFINITY;
  #windowDueMs: number | undefined;
  #stats = this.#emptyStats();

  constructor(
    transport: BatchTransport,
    options: Partial<MessageBatcherOptions> & {
      clock?: Clock;
      onDrop?: (message: QueuedMessage) => void;
    } = {},
  ) {
    const { clock, onDrop, ...rest } = options;
    this.#transport = transport;
    this.#clock = clock ?? systemClock;
    this.#onDrop = onDrop ?? (() => {});
    this.#options = { ...DEFAULT_BATCHER_OPTIONS, ...rest };
    this.#coalescer = new Coalescer(this.#options.coalescers);
    this.#interval = new AdaptiveInterval({ ...this.#options, rateWindowMs: 1_000 });
    this.#scheduler = new FlushScheduler(this.#clock, () => this.#flush());
  }

  get optimization(): boolean {
    return this.#options.optimization;
  }

  /** Queues one logical message (priority: per send, else the type's default, else medium). */
  enqueue(input: {
    id: string;
    type: string;
    data: unknown;
    priority?: Priority | undefined;
  }): EnqueueResult {
    const nowMs = this.#clock.monotonicNow();
    this.#interval.recordArrival(nowMs);
    const priority = input.priority ?? defaultPriority(input.type);
    const key = conflictKey(input.type, input.data);
    if (this.#options.optimization) {
      const into = this.#coalescer.tryMerge(this.#queue, {
        type: input.type,
        key,
        data: input.data,
        priority,
      });
      if (into !== undefined) {
        this.#stats.coalescedByPriority[priority]++;
        this.#schedule();
        return { status: 'coalesced', into };
      }
    }
    if (this.#queue.size >= this.#options.maxQueueSize) {
      while (this.#queue.size >= this.#options.maxQueueSize && this.#queue.sizeOf('low') > 0) {
        const dropped = this.#queue.shiftOldest('low');
        if (dropped === undefined) break;
        this.#stats.droppedByPriority.low++;
        this.#onDrop(dropped);
      }
      if (this.#queue.size >= this.#options.maxQueueSize) {
        if (priority === 'low') {
          this.#stats.droppedByPriority.low++;
          return { status: 'dropped' };
        }
        this.#stats.refusedByPriority[priority]++;
        return { status: 'backpressure' };
      }
    }
    const message: QueuedMessage = {
      id: input.id,
      type: input.type,
      data: input.data,
      priority,
      order: this.#order++,
      key,
      enqueuedAtMs: nowMs,
      sends: 0,
    };
    this.#queue.push(message);
    this.#schedule();
    return { status: 'queued', message };
  }

  /** Puts messages back (after a lost connection or a retryable rejection), in their original order, past the queue limit if need be: high and medium are never dropped. */
  requeue(messages: readonly QueuedMessage[]): void {
    for (const msg of messages) this.#queue.push(msg);
    this.#schedule();
  }

  /** The transport may write again (opened, acked, drained): flush what is due. */
  notifyWritable(): void {
    this.#schedule();
  }

  /** Sends everything queued now, ignoring the window (still only while writable). */
  flush(): void {
    this.#flush();
  }

  /** Batching on or off at runtime; off sends each queued message alone at once. */
  setOptimization(enabled: boolean): void {
    this.#options.optimization = enabled;
    this.#schedule();
  }

  /** Caps messages per frame below `maxBatchSize` (the server's `welcome.limits.maxBatchSize`). */
  limitBatchSize(maxMessages: number): void {
    this.#frameLimit = Math.max(1, Math.floor(maxMessages));
  }

  /** Removes and returns every queued message (on close). */
  takeAll(): QueuedMessage[] {
    this.#scheduler.clearTimer();
    this.#windowDueMs = undefined;
    return this.#queue.takeAll();
  }

  get queueDepth(): number {
    return this.#queue.size;
  }

  stats(): BatchingStats {
    const s = this.#stats;
    const depth = this.#queue.size;
    return {
      ...s,
      optimization: this.#options.optimization,
      avgBatchSize: s.batchesSent === 0 ? 0 : s.messagesSent / s.batchesSent,
      currentIntervalMs: this.#interval.currentMs(this.#clock.monotonicNow()),
      droppedByPriority: { ...s.droppedByPriority },
      coalescedByPriority: { ...s.coalescedByPriority },
      refusedByPriority: { ...s.refusedByPriority },
      bytesSaved: s.bytesUnbatched - s.bytesSent,
      savedRatio: s.bytesUnbatched === 0 ? 0 : (s.bytesUnbatched - s.bytesSent) / s.bytesUnbatched,
      queueDepth: depth,
      queueDepthByPriority: {
        high: this.#queue.sizeOf('high'),
        medium: this.#queue.sizeOf('medium'),
        low: this.#queue.sizeOf('low'),
      },
    };
  }

  /** Zeroes the cumulative counters; the queue and the rate window stay. */
  resetStats(): void {
    this.#stats = this.#emptyStats();
  }

  dispose(): void {
    this.#scheduler.dispose();
  }

  #emptyStats(): BatchingStats {
    return {
      optimization: true,
      batchesSent: 0,
      messagesSent: 0,
      avgBatchSize: 0,
      maxBatchSize: 0,
      currentIntervalMs: 0,
      droppedByPriority: zero(),
      coalescedByPriority: zero(),
      refusedByPriority: zero(),
      bytesSent: 0,
      bytesUnbatched: 0,
      bytesSaved: 0,
      savedRatio: 0,
      compressedFrames: 0,
      compressionRatio: 1,
      queueDepth: 0,
      queueDepthByPriority: zero(),
    };
  }

  #schedule(): void {
    const o = this.#options;
    if (this.#queue.size === 0) {
      this.#windowDueMs = undefined;
      this.#scheduler.clearTimer();
      return;
    }
    if (!o.optimization || this.#queue.sizeOf('high') > 0 || this.#queue.size >= this.#batchSize()) {
      this.#scheduler.now();
      return;
    }
    if (this.#windowDueMs === undefined) {
      const nowMs = this.#clock.monotonicNow();
      const idle = nowMs - this.#lastFrameAtMs >= o.minSendIntervalMs;
      this.#windowDueMs = idle
        ? nowMs
        : Math.max(nowMs + this.#interval.currentMs(nowMs), this.#lastFrameAtMs + o.minSendIntervalMs);
    }
    this.#scheduler.at(this.#windowDueMs);
  }

  #flush(): void {
    const o = this.#options;
    while (this.#queue.size > 0 && this.#transport.writable() === 'open') {
      const batch = this.#queue.take(o.optimization ? this.#batchSize() : 1);
      const frame = buildFrame(batch, ++this.#seq);
      for (const msg of batch) msg.sends++;
      this.#lastFrameAtMs = this.#clock.monotonicNow();
      const s = this.#stats;
      s.batchesSent++;
      s.messagesSent += batch.length;
      s.maxBatchSize = Math.max(s.maxBatchSize, batch.length);
      s.bytesSent += frame.bytes;
      s.bytesUnbatched += frame.unbatchedBytes;
      this.#transport.write(frame);
    }
    if (this.#queue.size === 0) {
      this.#windowDueMs = undefined;
      this.#scheduler.clearTimer();
    } else if (this.#transport.writable() === 'busy') {
      this.#scheduler.at(this.#clock.monotonicNow() + o.backpressurePollMs);
    }
  }

  #batchSize(): number {
    return Math.min(this.#options.maxBatchSize, this.#frameLimit);
  }
}

/** A type's priority when a send names none: the protocol's default, else medium. */
export function defaultPriority(type: string): Priority {
  return Object.hasOwn(DEFAULT_PRIORITY, type)
    ? DEFAULT_PRIORITY[type as keyof typeof DEFAULT_PRIORITY]
    : 'medium';
}
