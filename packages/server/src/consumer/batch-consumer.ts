import type { ClientTimeWindow, ServerEvent, TypeResult } from '@av-gym/protocol';
import type { Logger } from 'pino';
import { monotonicFactory } from 'ulid';
import { type Clock, systemClock } from '../clock.js';
import type { WriteStore } from '../store/write-store.js';
import { buildResults } from './build-results.js';
import { ConsumerStatsRecorder } from './consumer-stats.js';
import { FairQueue } from './fair-queue.js';
import type { HandlerMap } from './handler-context.js';
import { type CheckInOptions, createCheckIn } from './handlers/check-in.js';
import { DEFAULT_HANDLERS } from './handlers/index.js';
import { type CallPlan, planCall } from './plan-batch.js';
import { runTransaction, type TransactionEvents } from './run-transaction.js';
import type { BatchConsumer, BatchInput, BatchOutcome, ConsumerStats, EventSink } from './types.js';

export interface BatchConsumerOptions {
  store: WriteStore;
  sink: EventSink;
  logger: Logger;
  /** Default: the system clock. */
  clock?: Clock;
  /**
   * Calls arriving within this window share one transaction. Default 2. 0: no wait when idle,
   * only calls that arrived in the same event-loop turn share (calls arriving while a
   * transaction runs always share the next one).
   */
  groupCommitWindowMs?: number;
  /** A group closes early once it holds this many messages. Default 1000. */
  maxGroupMessages?: number;
  /** Replaces the bulk handler of some types (tests inject failing ones). */
  handlers?: Partial<HandlerMap>;
  /** Which check-in alerts block and who may override them (default: expired and frozen block). */
  checkIn?: CheckInOptions;
  /** How far a client-given `at` may lie from the clock (default 5 min ahead, 7 days behind). */
  clientTimeWindow?: ClientTimeWindow;
}

type TransactionSummary = Map<string, { accepted: number; duplicates: number; rejected: number }>;

interface PendingCall {
  input: BatchInput;
  lane: string;
  size: number;
  startedAt: number;
  resolve: (outcome: BatchOutcome) => void;
  settled: boolean;
}

/**
 * The batch consumer: validates, applies each group of calls in one transaction (one bulk
 * handler per type per phase, each in a savepoint; a message a handler throws on fails alone),
 * acks after COMMIT, then publishes events.
 * @example
 * const consumer = createBatchConsumer({ store, sink: broker, logger });
 * const { results } = await consumer.handleBatch({ clientId: 'desk-1', batches: { check_in: [...] } });
 */
export function createBatchConsumer(options: BatchConsumerOptions): BatchConsumer {
  return new GroupCommitConsumer(options);
}

class GroupCommitConsumer implements BatchConsumer {
  readonly #store: WriteStore;
  readonly #sink: EventSink;
  readonly #logger: Logger;
  readonly #clock: Clock;
  readonly #windowMs: number;
  readonly #maxGroupMessages: number;
  readonly #handlers: HandlerMap;
  readonly #clientTimeWindow: ClientTimeWindow | undefined;
  readonly #stats = new ConsumerStatsRecorder();
  readonly #nextUlid = monotonicFactory();
  /** Calls waiting for the next group, one lane per credential. */
  readonly #pending = new FairQueue<PendingCall>();
  #timer: unknown;
  #running = false;
  #draining = false;
  #idleWaiters: (() => void)[] = [];

  constructor(options: BatchConsumerOptions) {
    this.#store = options.store;
    this.#sink = options.sink;
    this.#logger = options.logger;
    this.#clock = options.clock ?? systemClock;
    this.#windowMs = Math.max(0, options.groupCommitWindowMs ?? 2);
    this.#maxGroupMessages = Math.max(1, options.maxGroupMessages ?? 1000);
    this.#handlers = {
      ...DEFAULT_HANDLERS,
      ...(options.checkIn ? { check_in: createCheckIn(options.checkIn) } : {}),
      ...options.handlers,
    } as HandlerMap;
    this.#clientTimeWindow = options.clientTimeWindow;
  }

  handleBatch(input: BatchInput): Promise<BatchOutcome> {
    const startedAt = performance.now();
    if (this.#draining)
      return Promise.resolve(this.#unavailable(input, 'the server is shutting down', startedAt));
    return new Promise((resolve) => {
      const size = countItems(input);
      const lane = input.lane ?? input.clientId;
      this.#pending.push({ input, lane, size, startedAt, resolve, settled: false });
      this.#schedule();
    });
  }

  drain(): Promise<void> {
    this.#draining = true;
    this.#schedule();
    if (!this.#running && this.#pending.length === 0) return Promise.resolve();
    return new Promise((resolve) => this.#idleWaiters.push(resolve));
  }

  stats(): ConsumerStats {
    return this.#stats.snapshot();
  }

  #schedule(): void {
    if (this.#running || this.#pending.length === 0) return;
    if (this.#draining || this.#pending.messages >= this.#maxGroupMessages) {
      this.#clearTimer();
      void this.#flush();
      return;
    }
    if (this.#timer !== undefined) return;
    const fire = () => {
      this.#timer = undefined;
      void this.#flush();
    };
    if (this.#windowMs > 0) {
      this.#timer = this.#clock.setTimeout(fire, this.#windowMs);
      return;
    }
    // Window 0: group what arrived in this turn of the event loop, then go.
    this.#timer = setImmediate(fire);
  }

  #clearTimer(): void {
    if (this.#timer === undefined) return;
    if (this.#windowMs > 0) this.#clock.clearTimeout(this.#timer);
    else clearImmediate(this.#timer as ReturnType<typeof setImmediate>);
    this.#timer = undefined;
  }

  async #flush(): Promise<void> {
    if (this.#running || this.#pending.length === 0) return;
    this.#running = true;
    const group = this.#pending.takeGroup(this.#maxGroupMessages);
    try {
      await this.#runGroup(group);
    } catch (err) {
      // Only a bug gets here; still answer every caller rather than leave it hanging.
      this.#logger.error({ err }, 'batch group failed outside the transaction');
      for (const call of group) if (!call.settled) this.#settle(call, this.#safeUnavailable(call));
    } finally {
      this.#running = false;
      if (this.#pending.length > 0) {
        // Whatever queued up behind this transaction has waited long enough: go at once.
        void this.#flush();
      } else {
        for (const wake of this.#idleWaiters.splice(0)) wake();
      }
    }
  }

  async #runGroup(group: readonly PendingCall[]): Promise<void> {
    const started = performance.now();
    const now = this.#clock.now();
    const plans = group.map((call, i) => planCall(call.input, i));
    let txEvents: TransactionEvents;
    try {
      txEvents = await this.#store.transaction((tx) =>
        runTransaction(this.#store, tx, plans, {
          handlers: this.#handlers,
          now,
          newId: (prefix) => `${prefix}_${this.#nextUlid(now)}`,
          onHandlerError: (type, err) =>
            this.#logger.error({ err, type }, 'handler failed on one message; it alone gets INTERNAL'),
          ...(this.#clientTimeWindow ? { clientTimeWindow: this.#clientTimeWindow } : {}),
        }),
      );
    } catch (err) {
      this.#logger.error({ err, calls: group.length }, 'transaction failed; every message gets UNAVAILABLE');
      group.forEach((call) => {
        this.#settle(call, this.#safeUnavailable(call));
      });
      return;
    }
    this.#stats.countTransaction();
    const at = this.#clock.now();
    for (const event of txEvents.events) event.at = at;
    if (txEvents.events.length > 0) {
      try {
        this.#sink.publish(txEvents.events);
      } catch (err) {
        this.#logger.error({ err }, 'event sink failed');
      }
    }
    const summary: TransactionSummary = new Map();
    // Each call's events, in seq order, in one pass over the transaction's events.
    const eventsOf: ServerEvent[][] = group.map(() => []);
    txEvents.events.forEach((event, k) => {
      for (const call of txEvents.callsOf[k]!) eventsOf[call]?.push(event);
    });
    group.forEach((call, i) => {
      const results = this.#results(plans[i]!, summary);
      this.#stats.countBatch(performance.now() - call.startedAt);
      this.#settle(call, { results, events: eventsOf[i]! });
    });
    // One line per transaction: debug, or it is most of what a busy node writes.
    if (!this.#logger.isLevelEnabled('debug')) return;
    this.#logger.debug(
      {
        calls: group.length,
        types: Object.fromEntries(summary),
        events: txEvents.events.length,
        durationMs: round(performance.now() - started),
      },
      'batch transaction committed',
    );
  }

  #results(plan: CallPlan, summary: TransactionSummary): Record<string, TypeResult> {
    return buildResults(plan, (type, status, code, n) => {
      const counts = summary.get(type) ?? { accepted: 0, duplicates: 0, rejected: 0 };
      summary.set(type, counts);
      counts[status] += n;
      this.#stats.countMessage(type, status, code, n);
    });
  }

  #settle(call: PendingCall, outcome: BatchOutcome): void {
    call.settled = true;
    call.resolve(outcome);
  }

  #safeUnavailable(call: PendingCall): BatchOutcome {
    try {
      return this.#unavailable(call.input, 'the store failed; nothing was written', call.startedAt);
    } catch {
      return { results: {}, events: [] };
    }
  }

  #unavailable(input: BatchInput, message: string, startedAt: number): BatchOutcome {
    const plan = planCall(input, 0);
    for (const entry of plan.entries) {
      entry.outcome ??= { status: 'rejected', code: 'UNAVAILABLE', message, record: false };
    }
    const results = this.#results(plan, new Map());
    this.#stats.countBatch(performance.now() - startedAt);
    return { results, events: [] };
  }
}

function countItems(input: BatchInput): number {
  let n = 0;
  for (const list of Object.values(input.batches ?? {})) n += Array.isArray(list) ? list.length : 0;
  return n;
}

function round(ms: number): number {
  return Math.round(ms * 100) / 100;
}
