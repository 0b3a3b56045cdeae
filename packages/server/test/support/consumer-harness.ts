import type { BatchOrder } from '@av-gym/protocol';
import { pino } from 'pino';
import { afterEach, beforeEach, describe } from 'vitest';
import type { Clock } from '../../src/clock.js';
import { type BatchConsumerOptions, createBatchConsumer } from '../../src/consumer/batch-consumer.js';
import type { Actor, BatchConsumer, BatchOutcome } from '../../src/consumer/types.js';
import { type ConsumerBackend, consumerBackends, type OpenedStore } from './consumer-backends.js';
import { RecordingSink } from './recording-sink.js';
import { TEST_NOW } from './temp-sqlite-store.js';

/** A clock frozen at `now` whose timers are real (group commit windows are a few ms). */
export function frozenClock(now = TEST_NOW): Clock & { set(ms: number): void } {
  let current = now;
  return {
    now: () => current,
    set: (ms) => {
      current = ms;
    },
    setTimeout: (fn, ms) => setTimeout(fn, ms),
    clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
  };
}

export interface ConsumerHarness extends OpenedStore {
  sink: RecordingSink;
  consumer: BatchConsumer;
  clock: ReturnType<typeof frozenClock>;
  /** Sends one batch as `desk-1` (or `clientId`), from `actor` (default: the system actor, role admin). */
  send(
    batches: Record<string, unknown[]>,
    options?: { order?: BatchOrder; clientId?: string; actor?: Actor },
  ): Promise<BatchOutcome>;
  /** Creates an active member with this id (expires 2027-12-31) and returns nothing. */
  addMember(id: string, extra?: Record<string, unknown>): Promise<void>;
}

let createdMembers = 0;

/** A consumer over a real SQLite file in a temp dir; `cleanup` drains, closes and deletes it. */
export async function openHarness(
  options: Partial<Omit<BatchConsumerOptions, 'store' | 'sink' | 'logger'>> & {
    seedDemo?: boolean;
    /** Default: SQLite with prepared statements. */
    backend?: ConsumerBackend;
  } = {},
): Promise<ConsumerHarness> {
  const { seedDemo, backend, ...consumerOptions } = options;
  const temp = await (backend ?? consumerBackends()[0]!).open({ seedDemo: seedDemo ?? false });
  const sink = new RecordingSink();
  const clock = frozenClock();
  const consumer = createBatchConsumer({
    store: temp.store,
    sink,
    logger: pino({ level: 'silent' }),
    clock,
    ...consumerOptions,
  });
  const send: ConsumerHarness['send'] = (batches, sendOptions = {}) =>
    consumer.handleBatch({
      clientId: sendOptions.clientId ?? 'desk-1',
      batches,
      ...(sendOptions.order ? { order: sendOptions.order } : {}),
      ...(sendOptions.actor ? { actor: sendOptions.actor } : {}),
    });
  return {
    ...temp,
    sink,
    consumer,
    clock,
    send,
    async addMember(id, extra = {}) {
      const msgId = `setup-${++createdMembers}`;
      const out = await send({
        member_create: [
          {
            id: msgId,
            data: { memberId: id, name: `Member ${id}`, plan: 'basic', expiresAt: '2027-12-31', ...extra },
          },
        ],
      });
      if (out.results.member_create?.accepted[0] !== msgId) {
        throw new Error(`setup member ${id} refused: ${JSON.stringify(out.results)}`);
      }
    },
    async cleanup() {
      await consumer.drain();
      await temp.cleanup();
    },
  };
}

/**
 * One describe block per consumer backend; every test gets a fresh harness (after `setup`),
 * reached through the same `h` object:
 * @example
 * describeEachBackend('check_in handler', (h) => {
 *   it('opens a visit', async () => { await h.addMember('m_1'); ... });
 * }, { setup: (h) => h.addMember('m_1') });
 */
export function describeEachBackend(
  title: string,
  body: (h: ConsumerHarness) => void,
  options: { setup?: (h: ConsumerHarness) => Promise<void> } = {},
): void {
  describe.each(consumerBackends().map((b) => [b.name, b] as const))(`${title} (%s)`, (_name, backend) => {
    const h = {} as ConsumerHarness;
    beforeEach(async () => {
      Object.assign(h, await openHarness({ backend }));
      await options.setup?.(h);
    });
    afterEach(async () => {
      await h.cleanup();
    });
    body(h);
  });
}
