import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { consumerBackends } from '../../test/support/consumer-backends.js';
import { type ConsumerHarness, openHarness } from '../../test/support/consumer-harness.js';
import type { MessageHandler } from './handler-context.js';
import { checkIn } from './handlers/check-in.js';
import { memberUpdate } from './handlers/member-update.js';

/** The member whose messages make the injected handlers throw. */
const POISON = 'm_poison';

const codes = (out: Awaited<ReturnType<ConsumerHarness['send']>>, type: string) => {
  const result = out.results[type];
  return [
    ...(result?.accepted ?? []).map((id) => [id, 'accepted']),
    ...(result?.rejected ?? []).map((r) => [r.id, r.code]),
  ].sort((a, b) => String(a[0]).localeCompare(String(b[0])));
};

describe.each(consumerBackends().map((b) => [b.name, b] as const))(
  'handler isolation in group commit (%s)',
  (_name, backend) => {
    let h: ConsumerHarness;
    let calls: number;
    /** The real check_in handler, throwing (after writing) whenever the poison member is among its messages. */
    const poisonedCheckIn: MessageHandler<'check_in'> = async (ctx, messages) => {
      calls++;
      await checkIn(ctx, messages);
      if (messages.some((m) => m.data.memberId === POISON)) throw new Error('poison');
    };
    const poisonedUpdate: MessageHandler<'member_update'> = async (ctx, messages) => {
      await memberUpdate(ctx, messages);
      if (messages.some((m) => m.data.changes.notes === 'poison')) throw new Error('poison');
    };

    beforeEach(async () => {
      calls = 0;
      h = await openHarness({
        backend,
        groupCommitWindowMs: 5,
        handlers: { check_in: poisonedCheckIn, member_update: poisonedUpdate },
      });
      const ids = ['m_a', 'm_b', 'm_c', POISON, ...Array.from({ length: 60 }, (_, i) => `m_v${i}`)];
      const setup = await h.send({
        member_create: ids.map((memberId) => ({
          id: `setup-${memberId}`,
          data: { memberId, name: `Member ${memberId}`, plan: 'basic', expiresAt: '2027-12-31' },
        })),
      });
      expect(setup.results.member_create?.accepted).toHaveLength(ids.length);
    });
    afterEach(async () => {
      await h.cleanup();
    });

    it('fails only the message the handler throws on; the other desk in the same transaction commits', async () => {
      const before = h.consumer.stats().transactions;
      const victimItems = Array.from({ length: 60 }, (_, i) => ({
        id: `v${i}`,
        data: { memberId: `m_v${i}` },
      }));
      const [attacker, victim] = await Promise.all([
        h.send(
          {
            check_in: [
              { id: 'a1', data: { memberId: 'm_a' } },
              { id: 'p1', data: { memberId: POISON } },
            ],
          },
          { clientId: 'desk-attacker' },
        ),
        h.send({ check_in: victimItems }, { clientId: 'desk-victim' }),
      ]);
      expect(h.consumer.stats().transactions).toBe(before + 1);
      expect(codes(attacker, 'check_in')).toEqual([
        ['a1', 'accepted'],
        ['p1', 'INTERNAL'],
      ]);
      expect(attacker.results.check_in?.rejected?.[0]?.message).toBe(
        'the check_in handler failed on this message; nothing was written',
      );
      expect(victim.results.check_in?.accepted).toEqual(victimItems.map((i) => i.id));
      expect(await h.store.listVisits({ memberId: POISON, limit: 5 })).toEqual([]);
      expect(await h.store.listVisits({ open: true, limit: 100 })).toHaveLength(61);
      // Events of the committed messages only, numbered without gaps.
      const created = victim.events.filter((e) => e.name === 'check_in.created');
      expect(created).toHaveLength(60);
      const seqs = h.sink.all.map((e) => e.seq);
      expect(seqs).toEqual(Array.from({ length: seqs.length }, (_, i) => i + 1));
      expect(await h.store.lastEventSeq()).toBe(seqs.length);
    });

    it('halves the group rather than retrying one by one: few extra handler calls for one poison message', async () => {
      const items = Array.from({ length: 60 }, (_, i) => ({ id: `v${i}`, data: { memberId: `m_v${i}` } }));
      items.splice(37, 0, { id: 'p1', data: { memberId: POISON } });
      const out = await h.send({ check_in: items });
      expect(out.results.check_in?.accepted).toHaveLength(60);
      expect(out.results.check_in?.rejected?.map((r) => [r.id, r.code])).toEqual([['p1', 'INTERNAL']]);
      // 1 bulk call, then two halves per level down to the poison message: 1 + 2 * ceil(log2(61)).
      expect(calls).toBeLessThanOrEqual(1 + 2 * 6);
    });

    it('keeps per-member order: later messages of the failed message`s member get INTERNAL, in its group and later phases', async () => {
      const out = await h.send(
        {
          member_update: [
            { id: 'u1', data: { memberId: 'm_a', changes: { notes: 'poison' } } },
            { id: 'u2', data: { memberId: 'm_a', changes: { notes: 'after the poison' } } },
            { id: 'u3', data: { memberId: 'm_b', changes: { notes: 'fine' } } },
          ],
          check_in: [
            { id: 'i1', data: { memberId: 'm_a' } },
            { id: 'i2', data: { memberId: 'm_b' } },
          ],
        },
        {
          order: [
            ['member_update', 3],
            ['check_in', 2],
          ],
        },
      );
      expect(codes(out, 'member_update')).toEqual([
        ['u1', 'INTERNAL'],
        ['u2', 'INTERNAL'],
        ['u3', 'accepted'],
      ]);
      expect(out.results.member_update?.rejected?.find((r) => r.id === 'u2')?.message).toBe(
        'an earlier message for this member failed; nothing was written',
      );
      expect(codes(out, 'check_in')).toEqual([
        ['i1', 'INTERNAL'],
        ['i2', 'accepted'],
      ]);
      expect(await h.store.getMember('m_a')).toMatchObject({ notes: '', version: 1 });
      expect(await h.store.getMember('m_b')).toMatchObject({ notes: 'fine', version: 2 });
    });

    it('records what committed beside a failed message, so its resend is a duplicate', async () => {
      const first = await h.send({
        check_in: [
          { id: 'p1', data: { memberId: POISON } },
          { id: 'c1', data: { memberId: 'm_c' } },
        ],
      });
      expect(codes(first, 'check_in')).toEqual([
        ['c1', 'accepted'],
        ['p1', 'INTERNAL'],
      ]);
      const retry = await h.send({ check_in: [{ id: 'c1', data: { memberId: 'm_c' } }] });
      expect(retry.results.check_in?.duplicates).toEqual(['c1']);
    });
  },
);
