import { EVENT_SCHEMAS } from '@av-gym/protocol';
import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type ConsumerHarness, frozenClock, openHarness } from '../../test/support/consumer-harness.js';
import { RecordingSink } from '../../test/support/recording-sink.js';
import { openTempStore, type TempStore } from '../../test/support/temp-sqlite-store.js';
import { createBatchConsumer } from './batch-consumer.js';

describe('BatchConsumer transactions', () => {
  let h: ConsumerHarness;
  beforeEach(async () => {
    h = await openHarness({ groupCommitWindowMs: 5 });
    await h.addMember('m_a');
    await h.addMember('m_b');
  });
  afterEach(async () => {
    await h.cleanup();
  });

  describe('group commit', () => {
    it('commits concurrent calls from two desks in one transaction with separate results', async () => {
      const before = h.consumer.stats().transactions;
      const [one, two] = await Promise.all([
        h.send({ check_in: [{ id: 'a1', data: { memberId: 'm_a' } }] }, { clientId: 'desk-1' }),
        h.send({ check_in: [{ id: 'b1', data: { memberId: 'm_b' } }] }, { clientId: 'desk-2' }),
      ]);
      expect(h.consumer.stats().transactions).toBe(before + 1);
      expect(one.results).toEqual({ check_in: { accepted: ['a1'], info: { a1: expect.any(Object) } } });
      expect(two.results).toEqual({ check_in: { accepted: ['b1'], info: { b1: expect.any(Object) } } });
      expect(one.events.map((e) => e.name)).toEqual(['check_in.created', 'occupancy.changed']);
      expect(two.events.map((e) => e.name)).toEqual(['check_in.created', 'occupancy.changed']);
      expect(one.events[0]?.data).toMatchObject({ memberId: 'm_a' });
      // One occupancy event per transaction, shared by both callers.
      expect(one.events[1]).toBe(two.events[1]);
      expect(one.events[1]?.data).toEqual({
        current: 2,
        capacity: 120,
        todayTotal: 2,
        // issue 17: the figures of the club whose visits changed (the default club here)
        clubs: [{ clubId: 'main', current: 2, capacity: 120, todayTotal: 2 }],
      });
    });

    it('applies calls of one group in arrival order', async () => {
      const [inside, outside] = await Promise.all([
        h.send({ check_in: [{ id: 'a1', data: { memberId: 'm_a' } }] }, { clientId: 'desk-1' }),
        h.send({ check_out: [{ id: 'a2', data: { memberId: 'm_a' } }] }, { clientId: 'desk-2' }),
      ]);
      expect(inside.results.check_in?.accepted).toEqual(['a1']);
      expect(outside.results.check_out?.accepted).toEqual(['a2']);
    });

    it('with a window of 0 still shares one transaction among calls of the same turn', async () => {
      const eager = createBatchConsumer({
        store: h.store,
        sink: h.sink,
        logger: pino({ level: 'silent' }),
        groupCommitWindowMs: 0,
      });
      const [one, two] = await Promise.all([
        eager.handleBatch({ clientId: 'desk-1', batches: { client_stats: [{ id: 'e1', data: {} }] } }),
        eager.handleBatch({ clientId: 'desk-2', batches: { client_stats: [{ id: 'e2', data: {} }] } }),
      ]);
      expect([one.results.client_stats?.accepted, two.results.client_stats?.accepted]).toEqual([
        ['e1'],
        ['e2'],
      ]);
      expect(eager.stats().transactions).toBe(1);
      await eager.drain();
    });

    it('closes a group early at maxGroupMessages', async () => {
      const small = createBatchConsumer({
        store: h.store,
        sink: h.sink,
        logger: pino({ level: 'silent' }),
        groupCommitWindowMs: 10_000,
        maxGroupMessages: 2,
      });
      const stats = [
        { id: 's1', data: {} },
        { id: 's2', data: {} },
      ];
      const out = await small.handleBatch({ clientId: 'desk-9', batches: { client_stats: stats } });
      expect(out.results.client_stats?.accepted).toEqual(['s1', 's2']);
      expect(small.stats().transactions).toBe(1);
      await small.drain();
    });
  });

  describe('events', () => {
    it('numbers events gap-free across transactions in publish order, stamped with the commit time', async () => {
      await h.send({ check_in: [{ id: 'i1', data: { memberId: 'm_a' } }] });
      h.clock.set(h.clock.now() + 60_000);
      await h.send({
        check_out: [{ id: 'o1', data: { memberId: 'm_a' } }],
        member_update: [{ id: 'u1', data: { memberId: 'm_b', changes: { notes: 'n' } } }],
      });
      await h.send({ client_stats: [{ id: 's1', data: {} }] });
      const seqs = h.sink.all.map((e) => e.seq);
      expect(seqs).toEqual(Array.from({ length: seqs.length }, (_, i) => i + 1));
      expect(await h.store.lastEventSeq()).toBe(seqs.length);
      const last = h.sink.published.at(-1) ?? [];
      expect(last.map((e) => [e.name, e.topic])).toEqual([
        ['check_out.created', 'check_ins'],
        ['member.updated', 'members'],
        ['occupancy.changed', 'occupancy'],
      ]);
      expect(last.every((e) => e.at === h.clock.now())).toBe(true);
    });

    it('publishes event data that matches the protocol schemas', async () => {
      await h.send({
        member_create: [{ id: 'c1', data: { name: 'Eve', plan: 'basic', expiresAt: '2027-01-01' } }],
        check_in: [{ id: 'i1', data: { memberId: 'm_a', deskId: 'desk-3' } }],
        member_update: [{ id: 'u1', data: { memberId: 'm_b', changes: { plan: 'premium' } } }],
      });
      await h.send({ check_out: [{ id: 'o1', data: { memberId: 'm_a' } }] });
      const names = new Set(h.sink.all.map((e) => e.name));
      expect(names).toEqual(
        new Set([
          'member.created',
          'member.updated',
          'check_in.created',
          'check_out.created',
          'occupancy.changed',
        ]),
      );
      for (const event of h.sink.all) {
        const schema = EVENT_SCHEMAS[event.name];
        expect(event.topic).toBe(schema.topic);
        expect(schema.data.safeParse(event.data).success).toBe(true);
      }
    });
  });

  describe('drain', () => {
    it('finishes in-flight calls, then answers new ones with UNAVAILABLE', async () => {
      const inFlight = h.send({ check_in: [{ id: 'i1', data: { memberId: 'm_a' } }] });
      await h.consumer.drain();
      expect((await inFlight).results.check_in?.accepted).toEqual(['i1']);
      const late = await h.send({ check_in: [{ id: 'i2', data: { memberId: 'm_b' } }] });
      expect(late.results.check_in?.rejected).toEqual([
        { id: 'i2', code: 'UNAVAILABLE', message: 'the server is shutting down' },
      ]);
    });
  });

  describe('stats', () => {
    it('counts messages per type and outcome, rejections per code, and handle times', async () => {
      const start = h.consumer.stats();
      await h.send({
        check_in: [
          { id: 'i1', data: { memberId: 'm_a' } },
          { id: 'i2', data: { memberId: 'm_a' } },
        ],
      });
      await h.send({ check_in: [{ id: 'i1', data: { memberId: 'm_a' } }] });
      const stats = h.consumer.stats();
      expect(stats.messagesByType.check_in).toEqual({ accepted: 1, duplicates: 1, rejected: 1 });
      expect(stats.rejectedByCode.ALREADY_CHECKED_IN).toBe(1);
      expect(stats.batches).toBe(start.batches + 2);
      expect(stats.handleMs.count).toBe(start.handleMs.count + 2);
      expect(stats.handleMs.p99).toBeGreaterThanOrEqual(stats.handleMs.p50);
    });
  });
});

describe('BatchConsumer when the database fails', () => {
  let temp: TempStore;
  beforeEach(async () => {
    temp = await openTempStore();
  });
  afterEach(async () => {
    await temp.cleanup();
  });

  it('answers every message with UNAVAILABLE and publishes nothing', async () => {
    const sink = new RecordingSink();
    const consumer = createBatchConsumer({
      store: temp.store,
      sink,
      logger: pino({ level: 'silent' }),
      clock: frozenClock(),
    });
    temp.store.transaction = async () => {
      throw new Error('disk I/O error');
    };
    const out = await consumer.handleBatch({
      clientId: 'desk-1',
      batches: { check_in: [{ id: 'i1', data: { memberId: 'm_a' } }, 7] },
    });
    expect(out.results.check_in?.rejected?.map((r) => [r.id, r.code])).toEqual([
      ['i1', 'UNAVAILABLE'],
      ['#1', 'VALIDATION_FAILED'],
    ]);
    expect(out.results.check_in?.accepted).toEqual([]);
    expect(sink.all).toEqual([]);
    expect(consumer.stats().transactions).toBe(0);
  });

  it('answers UNAVAILABLE once the database is closed under it', async () => {
    const consumer = createBatchConsumer({
      store: temp.store,
      sink: new RecordingSink(),
      logger: pino({ level: 'silent' }),
      clock: frozenClock(),
    });
    await temp.store.close();
    temp.store.close = async () => {};
    const out = await consumer.handleBatch({
      clientId: 'desk-1',
      batches: { client_stats: [{ id: 's1', data: {} }] },
    });
    expect(out.results.client_stats?.rejected?.[0]?.code).toBe('UNAVAILABLE');
  });
});
