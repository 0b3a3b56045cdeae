import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { consumerBackends } from '../../test/support/consumer-backends.js';
import { type ConsumerHarness, openHarness } from '../../test/support/consumer-harness.js';
import { RecordingSink } from '../../test/support/recording-sink.js';
import { createBatchConsumer } from './batch-consumer.js';
import { memberUpdate } from './handlers/member-update.js';

describe.each(consumerBackends().map((b) => [b.name, b] as const))('BatchConsumer (%s)', (_name, backend) => {
  let h: ConsumerHarness;
  beforeEach(async () => {
    h = await openHarness({ backend });
    await h.addMember('m_a');
    await h.addMember('m_b');
  });
  afterEach(async () => {
    await h.cleanup();
  });

  describe('ordering', () => {
    it('applies in/out/in for one member in one batch following the order hint', async () => {
      const out = await h.send(
        {
          check_in: [
            { id: 'in-1', data: { memberId: 'm_a' } },
            { id: 'in-2', data: { memberId: 'm_a' } },
          ],
          check_out: [{ id: 'out-1', data: { memberId: 'm_a' } }],
        },
        {
          order: [
            ['check_in', 1],
            ['check_out', 1],
            ['check_in', 1],
          ],
        },
      );
      expect(out.results.check_in).toMatchObject({ accepted: ['in-1', 'in-2'] });
      expect(out.results.check_out).toMatchObject({ accepted: ['out-1'] });
      expect(await h.store.listVisits({ memberId: 'm_a', open: true, limit: 10 })).toHaveLength(1);
      expect(await h.store.listVisits({ memberId: 'm_a', limit: 10 })).toHaveLength(2);
      expect(out.events.map((e) => e.name)).toEqual([
        'check_in.created',
        'check_out.created',
        'check_in.created',
        'occupancy.changed',
      ]);
    });

    it('applies in/out/in without a hint when the client keeps the types in order of keys', async () => {
      await h.send({ check_in: [{ id: 'in-1', data: { memberId: 'm_a' } }] });
      const out = await h.send({
        check_out: [{ id: 'out-1', data: { memberId: 'm_a' } }],
        check_in: [{ id: 'in-2', data: { memberId: 'm_a' } }],
      });
      expect(out.results.check_out?.accepted).toEqual(['out-1']);
      expect(out.results.check_in?.accepted).toEqual(['in-2']);
      expect(await h.store.listVisits({ memberId: 'm_a', open: true, limit: 10 })).toHaveLength(1);
    });

    it('takes key order when no hint is given, so check_out before check_in is refused', async () => {
      const out = await h.send({
        check_out: [{ id: 'out-1', data: { memberId: 'm_a' } }],
        check_in: [{ id: 'in-1', data: { memberId: 'm_a' } }],
      });
      expect(out.results.check_out?.rejected?.[0]?.code).toBe('NOT_CHECKED_IN');
      expect(out.results.check_in?.accepted).toEqual(['in-1']);
    });

    it('sees a member created earlier in the same batch', async () => {
      const out = await h.send(
        {
          member_create: [
            { id: 'c', data: { memberId: 'm_new', name: 'New', plan: 'basic', expiresAt: '2027-01-01' } },
          ],
          check_in: [{ id: 'i', data: { memberId: 'm_new' } }],
          member_update: [{ id: 'u', data: { memberId: 'm_new', changes: { notes: 'x' }, baseVersion: 1 } }],
        },
        {
          order: [
            ['member_create', 1],
            ['check_in', 1],
            ['member_update', 1],
          ],
        },
      );
      expect(Object.values(out.results).map((r) => r.accepted)).toEqual([['c'], ['i'], ['u']]);
    });
  });

  describe('validation', () => {
    it('rejects malformed items under #index and bad data, and applies the rest', async () => {
      const out = await h.send({
        check_in: [
          42,
          { data: {} },
          { id: 'bad', data: { member: 'm_a' } },
          { id: 'ok', data: { memberId: 'm_a' } },
        ],
        teleport: [{ id: 't1', data: {} }],
      });
      expect(out.results.check_in?.accepted).toEqual(['ok']);
      expect(out.results.check_in?.rejected?.map((r) => [r.id, r.code])).toEqual([
        ['#0', 'VALIDATION_FAILED'],
        ['#1', 'VALIDATION_FAILED'],
        ['bad', 'VALIDATION_FAILED'],
      ]);
      expect(out.results.teleport?.rejected).toEqual([
        { id: 't1', code: 'UNKNOWN_TYPE', message: 'unknown message type "teleport"' },
      ]);
    });

    it('answers every type of the input, even an empty one, and keeps odd type names as plain keys', async () => {
      const out = await h.send({ check_in: [], ['__proto__']: [{ id: 'p', data: {} }] });
      expect(Object.keys(out.results).sort()).toEqual(['__proto__', 'check_in']);
      expect(out.results.check_in).toEqual({ accepted: [] });
      expect(Object.getPrototypeOf(out.results)).toBe(Object.prototype);
      expect(({} as Record<string, unknown>).rejected).toBeUndefined();
      expect(Object.getOwnPropertyDescriptor(h.consumer.stats().messagesByType, '__proto__')?.value).toEqual({
        accepted: 0,
        duplicates: 0,
        rejected: 1,
      });
    });
  });

  describe('idempotency', () => {
    const batch = () => ({
      check_in: [
        { id: 'i1', data: { memberId: 'm_a' } },
        { id: 'i2', data: { memberId: 'm_missing' } },
      ],
      member_update: [{ id: 'u1', data: { memberId: 'm_b', changes: { notes: 'once' } } }],
    });

    it('answers a resent batch with the original outcomes and changes nothing', async () => {
      const first = await h.send(batch());
      const eventsBefore = h.sink.all.length;
      const again = await h.send(batch());
      expect(again.results.check_in).toEqual({
        accepted: [],
        duplicates: ['i1'],
        rejected: first.results.check_in?.rejected,
        info: first.results.check_in?.info,
      });
      expect(again.results.member_update).toMatchObject({ accepted: [], duplicates: ['u1'] });
      expect(again.events).toEqual([]);
      expect(h.sink.all.length).toBe(eventsBefore);
      expect(await h.store.listVisits({ memberId: 'm_a', limit: 10 })).toHaveLength(1);
      expect((await h.store.getMember('m_b'))?.version).toBe(2);
    });

    it('counts the same id twice in one batch as a duplicate the second time', async () => {
      const out = await h.send({
        member_update: [
          { id: 'u1', data: { memberId: 'm_b', changes: { notes: 'a' } } },
          { id: 'u1', data: { memberId: 'm_b', changes: { notes: 'a' } } },
        ],
      });
      expect(out.results.member_update).toMatchObject({ accepted: ['u1'], duplicates: ['u1'] });
      expect(await h.store.getMember('m_b')).toMatchObject({ notes: 'a', version: 2 });
    });
  });

  describe('isolation', () => {
    it('rejects only the failing type with INTERNAL, rolls its writes back, and lets a retry succeed', async () => {
      const broken = createBatchConsumer({
        store: h.store,
        sink: new RecordingSink(),
        logger: pino({ level: 'silent' }),
        handlers: {
          member_update: async (ctx, messages) => {
            await memberUpdate(ctx, messages);
            throw new Error('boom after writing');
          },
        },
      });
      const batch = {
        member_update: [{ id: 'u1', data: { memberId: 'm_b', changes: { notes: 'lost' } } }],
        check_in: [{ id: 'i1', data: { memberId: 'm_a' } }],
      };
      const out = await broken.handleBatch({ clientId: 'desk-1', batches: batch });
      await broken.drain();
      expect(out.results.member_update?.rejected).toEqual([
        {
          id: 'u1',
          code: 'INTERNAL',
          message: 'the member_update handler failed on this message; nothing was written',
        },
      ]);
      expect(out.results.check_in?.accepted).toEqual(['i1']);
      expect(out.events.map((e) => e.name)).toEqual(['check_in.created', 'occupancy.changed']);
      // The failed type's events were never numbered: the seqs stay gap-free.
      const seqBefore = h.sink.all.at(-1)?.seq ?? 0;
      expect(out.events.map((e) => e.seq)).toEqual([seqBefore + 1, seqBefore + 2]);
      expect(await h.store.lastEventSeq()).toBe(seqBefore + 2);
      expect(await h.store.getMember('m_b')).toMatchObject({ notes: '', version: 1 });

      const retry = await h.send(batch);
      expect(retry.results.member_update?.accepted).toEqual(['u1']);
      expect(retry.results.check_in?.duplicates).toEqual(['i1']);
    });

    it('gives later messages of a failed member INTERNAL instead of applying them out of order', async () => {
      const broken = createBatchConsumer({
        store: h.store,
        sink: new RecordingSink(),
        logger: pino({ level: 'silent' }),
        handlers: {
          check_in: async () => {
            throw new Error('down');
          },
        },
      });
      const out = await broken.handleBatch({
        clientId: 'desk-1',
        batches: {
          check_in: [{ id: 'i1', data: { memberId: 'm_a' } }],
          check_out: [
            { id: 'o1', data: { memberId: 'm_a' } },
            { id: 'o2', data: { memberId: 'm_b' } },
          ],
        },
      });
      await broken.drain();
      expect(out.results.check_out?.rejected?.map((r) => [r.id, r.code])).toEqual([
        ['o1', 'INTERNAL'],
        ['o2', 'NOT_CHECKED_IN'],
      ]);
    });
  });
});
