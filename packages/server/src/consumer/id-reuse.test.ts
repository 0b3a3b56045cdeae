import { expect, it } from 'vitest';
import { describeEachBackend } from '../../test/support/consumer-harness.js';

const checkIn = (id: string, memberId: string) => ({ id, data: { memberId, deskId: 'desk-1' } });

describeEachBackend(
  'message ids reused for another message',
  (h) => {
    it('refuses a committed id sent again for another member with ID_REUSED and applies nothing', async () => {
      const first = await h.send({ check_in: [checkIn('in-1', 'm_a')] });
      expect(first.results.check_in?.accepted).toEqual(['in-1']);
      const reused = await h.send({ check_in: [checkIn('in-1', 'm_b')] }, { clientId: 'desk-2' });
      expect(reused.results.check_in).toMatchObject({
        accepted: [],
        rejected: [{ id: 'in-1', code: 'ID_REUSED' }],
      });
      expect(reused.results.check_in?.duplicates).toBeUndefined();
      expect(reused.events).toEqual([]);
      expect(await h.store.listVisits({ memberId: 'm_b', limit: 10 })).toEqual([]);
      // Not recorded: the original outcome stays, so the true resend is still a duplicate.
      const resent = await h.send({ check_in: [checkIn('in-1', 'm_a')] });
      expect(resent.results.check_in).toMatchObject({ accepted: [], duplicates: ['in-1'] });
    });

    it('refuses an id reused for another type or other data, even after a rejection', async () => {
      await h.send({ check_out: [{ id: 'x-1', data: { memberId: 'm_a' } }] }); // NOT_CHECKED_IN, recorded
      const asCheckIn = await h.send({ check_in: [{ id: 'x-1', data: { memberId: 'm_a' } }] });
      expect(asCheckIn.results.check_in?.rejected).toMatchObject([{ id: 'x-1', code: 'ID_REUSED' }]);
      const same = await h.send({ check_out: [{ id: 'x-1', data: { memberId: 'm_a' } }] });
      expect(same.results.check_out?.rejected).toMatchObject([{ id: 'x-1', code: 'NOT_CHECKED_IN' }]);
      expect(await h.store.listVisits({ memberId: 'm_a', limit: 10 })).toEqual([]);
    });

    it('refuses the second use of an id inside one batch when the data differs', async () => {
      const out = await h.send({
        member_update: [
          { id: 'u1', data: { memberId: 'm_a', changes: { notes: 'a' } } },
          { id: 'u1', data: { memberId: 'm_a', changes: { notes: 'b' } } },
        ],
      });
      expect(out.results.member_update).toMatchObject({
        accepted: ['u1'],
        rejected: [{ id: 'u1', code: 'ID_REUSED' }],
      });
      expect(await h.store.getMember('m_a')).toMatchObject({ notes: 'a', version: 2 });
    });

    it('refuses an id reused by another call of the same group commit', async () => {
      const [a, b] = await Promise.all([
        h.send({ check_in: [checkIn('g-1', 'm_a')] }, { clientId: 'desk-1' }),
        h.send({ check_in: [checkIn('g-1', 'm_b')] }, { clientId: 'desk-2' }),
      ]);
      expect(a.results.check_in?.accepted).toEqual(['g-1']);
      expect(b.results.check_in?.rejected).toMatchObject([{ id: 'g-1', code: 'ID_REUSED' }]);
      expect(await h.store.listVisits({ open: true, limit: 10 })).toHaveLength(1);
    });

    it('compares with the recorded message, not with a reuse earlier in the same batch', async () => {
      await h.send({ check_in: [checkIn('r-1', 'm_a')] });
      const out = await h.send({ check_in: [checkIn('r-1', 'm_b'), checkIn('r-1', 'm_a')] });
      expect(out.results.check_in).toMatchObject({
        accepted: [],
        duplicates: ['r-1'],
        rejected: [{ id: 'r-1', code: 'ID_REUSED' }],
      });
      expect(await h.store.listVisits({ memberId: 'm_b', limit: 10 })).toEqual([]);
    });

    it('answers a record written before fingerprints were kept as a duplicate, as before', async () => {
      await h.store.transaction((tx) =>
        tx.recordProcessed([{ id: 'old-1', type: 'check_in', outcome: { status: 'accepted' } }], 1),
      );
      const out = await h.send({ check_in: [checkIn('old-1', 'm_b')] });
      expect(out.results.check_in).toMatchObject({ accepted: [], duplicates: ['old-1'] });
    });

    it('rejects data nested too deeply to fingerprint as VALIDATION_FAILED and handles the rest', async () => {
      let deep: unknown = {};
      for (let i = 0; i < 200_000; i++) deep = { d: deep };
      const out = await h.send({
        client_stats: [{ id: 'deep-1', data: deep }],
        check_in: [checkIn('ok-1', 'm_a')],
      });
      expect(out.results.client_stats?.rejected).toMatchObject([{ id: 'deep-1', code: 'VALIDATION_FAILED' }]);
      expect(out.results.check_in?.accepted).toEqual(['ok-1']);
    });
  },
  {
    setup: async (h) => {
      await h.addMember('m_a');
      await h.addMember('m_b');
    },
  },
);
