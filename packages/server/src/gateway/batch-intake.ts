import {
  type BatchFrame,
  batchSize,
  type FrameErrorCode,
  MESSAGE_TYPES,
  type ServerFrame,
  type SingleMessageFrame,
  type TypeResult,
} from '@av-gym/protocol';
import type { Logger } from 'pino';
import type { ServerConfig } from '../config.js';
import type { Actor, BatchConsumer, BatchInput } from '../consumer/types.js';
import type { ServerMetrics } from '../metrics/server-metrics.js';
import type { RateBudget } from './rate-budget.js';
import { rejectAll, singleAck } from './results.js';

export { RATE_STRIKE_LIMIT } from './rate-budget.js';

/**
 * Most type keys one batch frame may carry: every known type plus a few unknown ones (those are
 * still answered UNKNOWN_TYPE per message); more is BAD_FRAME for the whole frame.
 */
export const MAX_BATCH_TYPES = MESSAGE_TYPES.length + 3;

export interface BatchIntakeDeps {
  config: ServerConfig;
  metrics: ServerMetrics;
  consumer: BatchConsumer;
  logger: Logger;
  /** The connection's rate budget (its own and its credential's); refusals strike toward 4429 there. */
  budget: Pick<RateBudget, 'messages'>;
  clientId(): string;
  /** The consumer lane of this connection's calls: its credential, shared by all its sockets (default: clientId). */
  lane?(): string;
  /** Who sent the connection's messages (its credential's staff member and role, at its desk); absent: the consumer's default. */
  actor?(): Actor | undefined;
  /** True once shutdown refuses new work. */
  draining(): boolean;
  /** Registers work shutdown must wait for. */
  track(work: Promise<unknown>): void;
  send(frame: ServerFrame): void;
  /** A batch's ack, in the connection's negotiated ack format (default: the full ack). */
  sendBatchAck?(frame: BatchFrame, results: Record<string, TypeResult>): void;
  sendError(code: FrameErrorCode, message: string, ref: number | string): void;
  /** A malformed frame (e.g. too many type keys): answered BAD_FRAME and counted as a bad-frame strike. */
  badFrame(message: string, ref: number | string): void;
  onError(error: unknown): void;
}

/**
 * One connection's way into the consumer: batch and single-message frames checked against
 * maxBatchSize, maxInFlight, the rate limit and shutdown, then handed over and acked.
 */
export class BatchIntake {
  private inFlight = 0;

  constructor(private readonly deps: BatchIntakeDeps) {}

  batch(frame: BatchFrame): void {
    const { metrics, config } = this.deps;
    const types = Object.keys(frame.batches).length;
    if (types > MAX_BATCH_TYPES) {
      this.deps.badFrame(`batch has ${types} type keys; at most ${MAX_BATCH_TYPES}`, frame.seq);
      return;
    }
    const size = batchSize(frame);
    for (const [type, items] of Object.entries(frame.batches)) metrics.messageIn(type, items.length);
    if (size > config.limits.maxBatchSize) {
      const message = `batch of ${size} messages; maxBatchSize is ${config.limits.maxBatchSize}`;
      this.deps.sendError('BATCH_TOO_LARGE', message, frame.seq);
      return;
    }
    if (this.tooManyInFlight(frame.seq)) return;
    if (size === 0) {
      this.ack(frame, {});
      return;
    }
    const refused = this.refusal(frame.batches, size);
    if (refused) {
      this.ack(frame, refused);
      return;
    }
    const input: BatchInput = {
      batches: frame.batches,
      clientId: this.deps.clientId(),
      lane: this.lane(),
    };
    if (frame.order) input.order = frame.order;
    const actor = this.deps.actor?.();
    if (actor) input.actor = actor;
    this.submit(input)
      .then((results) => this.ack(frame, results))
      .catch((error: unknown) => this.deps.onError(error));
  }

  single(frame: SingleMessageFrame): void {
    this.deps.metrics.messageIn(frame.type, 1);
    if (this.tooManyInFlight(frame.id)) return;
    const batches = { [frame.type]: [{ id: frame.id, data: frame.data }] };
    const refused = this.refusal(batches, 1);
    if (refused) {
      this.deps.send(singleAck(frame.type, frame.id, refused));
      return;
    }
    const input: BatchInput = { batches, clientId: this.deps.clientId(), lane: this.lane() };
    const actor = this.deps.actor?.();
    if (actor) input.actor = actor;
    this.submit(input)
      .then((results) => this.deps.send(singleAck(frame.type, frame.id, results)))
      .catch((error: unknown) => this.deps.onError(error));
  }

  private ack(frame: BatchFrame, results: Record<string, TypeResult>): void {
    if (this.deps.sendBatchAck) this.deps.sendBatchAck(frame, results);
    else this.deps.send({ type: 'ack', seq: frame.seq, results });
  }

  private lane(): string {
    return this.deps.lane?.() ?? this.deps.clientId();
  }

  private tooManyInFlight(ref: number | string): boolean {
    const max = this.deps.config.limits.maxInFlight;
    if (this.inFlight < max) return false;
    this.deps.metrics.reject('TOO_MANY_IN_FLIGHT');
    this.deps.sendError(
      'TOO_MANY_IN_FLIGHT',
      `${this.inFlight} frames await their ack; maxInFlight is ${max}`,
      ref,
    );
    return true;
  }

  /** Shutdown and rate-limit refusals, or undefined when the messages may go to the consumer. */
  private refusal(batches: Record<string, unknown[]>, size: number): Record<string, TypeResult> | undefined {
    if (this.deps.draining()) {
      return rejectAll(batches, 'UNAVAILABLE', 'the server is shutting down; send again after reconnecting');
    }
    const refusal = this.deps.budget.messages(size);
    if (refusal === undefined) return undefined;
    this.deps.metrics.reject('RATE_LIMITED', size);
    return rejectAll(batches, 'RATE_LIMITED', refusal.message);
  }

  private submit(input: BatchInput): Promise<Record<string, TypeResult>> {
    this.inFlight++;
    const work = this.deps.consumer
      .handleBatch(input)
      .then(
        (outcome) => outcome.results,
        (error: unknown) => {
          this.deps.logger.error({ err: error, clientId: input.clientId }, 'consumer failed a batch');
          return rejectAll(input.batches, 'INTERNAL', 'the batch could not be handled; retry');
        },
      )
      .finally(() => {
        this.inFlight--;
      });
    this.deps.track(work);
    return work;
  }
}
