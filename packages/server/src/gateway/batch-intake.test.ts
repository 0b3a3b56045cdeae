import type { ServerFrame } from '@av-gym/protocol';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../config.js';
import type { BatchConsumer, BatchInput, BatchOutcome } from '../consumer/types.js';
import { ServerMetrics } from '../metrics/server-metrics.js';
import { BatchIntake, MAX_BATCH_TYPES, RATE_STRIKE_LIMIT } from './batch-intake.js';
import { RateBudget } from './rate-budget.js';

/** A consumer the test resolves by hand: accepts everything it is given, or fails when told. */
class ManualConsumer implements BatchConsumer {
  readonly calls: { input: BatchInput; resolve: () => void; reject: (e: unknown) => void }[] = [];
  handleBatch(input: BatchInput): Promise<BatchOutcome> {
    return new Promise((resolve, reject) => {
      const results = Object.fromEntries(
        Object.entries(input.batches).map(([type, items]) => [
          type,
          { accepted: items.map((i) => (i as { id: string }).id) },
        ]),
      );
      this.calls.push({ input, resolve: () => resolve({ results, events: [] }), reject });
    });
  }
  async drain(): Promise<void> {}
  stats() {
    return {
      batches: 0,
      transactions: 0,
      messagesByType: {},
      rejectedByCode: {},
      handleMs: { p50: 0, p99: 0, count: 0 },
    };
  }
}

function setup(overrides: { maxInFlight?: number; ratePerSec?: number; burst?: number } = {}) {
  const base = parseConfig({});
  const config = {
    ...base,
    limits: { ...base.limits, maxInFlight: overrides.maxInFlight ?? 2, maxBatchSize: 10 },
  };
  const ratePerSec = overrides.ratePerSec ?? 1000;
  const consumer = new ManualConsumer();
  const sent: ServerFrame[] = [];
  let draining = false;
  let abuse = 0;
  const errors: unknown[] = [];
  const badFrames: string[] = [];
  const metrics = new ServerMetrics(() => 0);
  const tracked: Promise<unknown>[] = [];
  const budget = new RateBudget({
    limits: {
      framesPerSec: 1000,
      frameBurst: 1000,
      messagesPerSec: ratePerSec,
      messageBurst: overrides.burst ?? 1000,
    },
    now: () => 0,
    onLimited: () => {},
    onAbuse: () => {
      abuse++;
    },
  });
  const intake = new BatchIntake({
    config,
    metrics,
    consumer,
    logger: pino({ level: 'silent' }),
    budget,
    clientId: () => 'desk-1',
    draining: () => draining,
    track: (w) => void tracked.push(w),
    send: (f) => void sent.push(f),
    sendError: (code, message, ref) => void sent.push({ type: 'error', code, message, ref }),
    badFrame: (message) => void badFrames.push(message),
    onError: (e) => void errors.push(e),
  });
  return {
    intake,
    consumer,
    sent,
    tracked,
    errors,
    badFrames,
    metrics,
    drain: () => (draining = true),
    abuse: () => abuse,
  };
}

const batch = (seq: number, ids: string[], type = 'check_in') => ({
  type: 'batch' as const,
  seq,
  batches: { [type]: ids.map((id) => ({ id, data: { memberId: 'm_1' } })) },
});
const settle = () => new Promise((r) => setTimeout(r, 0));

describe('BatchIntake', () => {
  it('acks a batch only once the consumer resolves, with the client id and order passed on', async () => {
    const { intake, consumer, sent } = setup();
    intake.batch({ ...batch(1, ['a', 'b']), order: [['check_in', 2]] });
    await settle();
    expect(sent).toEqual([]);
    expect(consumer.calls[0]?.input).toMatchObject({ clientId: 'desk-1', order: [['check_in', 2]] });
    consumer.calls[0]?.resolve();
    await settle();
    expect(sent).toEqual([{ type: 'ack', seq: 1, results: { check_in: { accepted: ['a', 'b'] } } }]);
  });

  it('refuses frames past maxInFlight until an ack frees a slot', async () => {
    const { intake, consumer, sent } = setup({ maxInFlight: 2 });
    intake.batch(batch(1, ['a']));
    intake.single({ type: 'check_in', id: 'b', data: { memberId: 'm_1' } });
    intake.batch(batch(3, ['c']));
    expect(sent).toMatchObject([{ type: 'error', code: 'TOO_MANY_IN_FLIGHT', ref: 3 }]);
    consumer.calls[0]?.resolve();
    await settle();
    intake.batch(batch(4, ['d']));
    expect(consumer.calls).toHaveLength(3);
  });

  it('answers UNAVAILABLE without calling the consumer once shutdown has begun', () => {
    const { intake, consumer, sent, drain } = setup();
    drain();
    intake.batch(batch(1, ['a']));
    intake.single({ type: 'check_out', id: 'z', data: { memberId: 'm_1' } });
    expect(consumer.calls).toHaveLength(0);
    expect(sent).toMatchObject([
      {
        type: 'ack',
        seq: 1,
        results: { check_in: { accepted: [], rejected: [{ id: 'a', code: 'UNAVAILABLE' }] } },
      },
      { type: 'ack', id: 'z', ok: false, code: 'UNAVAILABLE' },
    ]);
  });

  it('turns a consumer failure into retryable INTERNAL rejections', async () => {
    const { intake, consumer, sent, errors } = setup();
    intake.batch(batch(1, ['a']));
    consumer.calls[0]?.reject(new Error('disk on fire'));
    await settle();
    expect(sent).toMatchObject([
      { type: 'ack', seq: 1, results: { check_in: { rejected: [{ id: 'a', code: 'INTERNAL' }] } } },
    ]);
    expect(errors).toEqual([]);
  });

  it('rate-limits whole frames and reports abuse after repeated strikes', async () => {
    const { intake, consumer, sent, abuse } = setup({ ratePerSec: 1, burst: 2 });
    intake.batch(batch(1, ['a', 'b']));
    for (let i = 0; i < RATE_STRIKE_LIMIT; i++) intake.batch(batch(10 + i, [`x${i}`]));
    await settle();
    expect(consumer.calls).toHaveLength(1);
    expect(sent[0]).toMatchObject({
      seq: 10,
      results: { check_in: { rejected: [{ id: 'x0', code: 'RATE_LIMITED' }] } },
    });
    expect(abuse()).toBe(1);
  });

  it('refuses a batch with more type keys than MAX_BATCH_TYPES as a bad frame, counting nothing', () => {
    const { intake, consumer, sent, badFrames, metrics } = setup();
    const batches = Object.fromEntries(Array.from({ length: MAX_BATCH_TYPES + 1 }, (_, i) => [`t${i}`, []]));
    intake.batch({ type: 'batch', seq: 7, batches });
    expect(badFrames).toEqual([expect.stringContaining(`at most ${MAX_BATCH_TYPES}`)]);
    expect(consumer.calls).toHaveLength(0);
    expect(sent).toEqual([]);
    expect(metrics.messagesIn.size).toBe(0);
  });

  it('counts unknown batch keys under one label', () => {
    const { intake, metrics } = setup();
    for (let i = 0; i < 50; i++) intake.batch({ type: 'batch', seq: i, batches: { [`junk-${i}`]: [] } });
    expect(Object.keys(metrics.messagesIn.total())).toEqual(['unknown']);
  });

  it('answers an empty batch at once and registers every hand-over for shutdown', () => {
    const { intake, sent, tracked } = setup();
    intake.batch({ type: 'batch', seq: 5, batches: {} });
    intake.batch(batch(6, ['a']));
    expect(sent).toEqual([{ type: 'ack', seq: 5, results: {} }]);
    expect(tracked).toHaveLength(1);
  });
});
