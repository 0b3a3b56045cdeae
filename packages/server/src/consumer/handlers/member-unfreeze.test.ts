import { expect, it } from 'vitest';
import { describeEachBackend } from '../../../test/support/consumer-harness.js';

describeEachBackend(
  'member_unfreeze handler',
  (h) => {
    it('makes a frozen member active, bumps the version, and the member can check in', async () => {
      const refused = await h.send({ check_in: [{ id: 'c0', data: { memberId: 'm_ice' } }] });
      expect(refused.results.check_in?.rejected?.[0]?.code).toBe('MEMBERSHIP_INACTIVE');
      const out = await h.send({
        member_unfreeze: [{ id: 'f1', data: { memberId: 'm_ice', baseVersion: 1 } }],
      });
      expect(out.results.member_unfreeze?.accepted).toEqual(['f1']);
      expect(out.results.member_unfreeze?.info?.f1).toEqual({ version: 2 });
      expect(await h.store.getMember('m_ice')).toMatchObject({
        status: 'active',
        expiresAt: '2027-12-31',
        version: 2,
      });
      expect(out.events[0]).toMatchObject({
        name: 'member.updated',
        data: { change: 'unfrozen', member: { id: 'm_ice', status: 'active' } },
      });
      const again = await h.send({ check_in: [{ id: 'c1', data: { memberId: 'm_ice' } }] });
      expect(again.results.check_in?.accepted).toEqual(['c1']);
    });

    it('refuses a member who is not frozen with WRONG_STATE, and changes nothing', async () => {
      const out = await h.send({ member_unfreeze: [{ id: 'f1', data: { memberId: 'm_ok' } }] });
      expect(out.results.member_unfreeze?.rejected?.[0]).toMatchObject({ id: 'f1', code: 'WRONG_STATE' });
      expect(await h.store.getMember('m_ok')).toMatchObject({ status: 'active', version: 1 });
      expect(out.events).toEqual([]);
    });

    it('a second unfreeze of one member in the same batch is refused (it is no longer frozen)', async () => {
      const out = await h.send({
        member_unfreeze: [
          { id: 'f1', data: { memberId: 'm_ice' } },
          { id: 'f2', data: { memberId: 'm_ice' } },
        ],
      });
      expect(out.results.member_unfreeze?.accepted).toEqual(['f1']);
      expect(out.results.member_unfreeze?.rejected?.[0]).toMatchObject({ id: 'f2', code: 'WRONG_STATE' });
    });

    it('refuses a stale baseVersion and an unknown member', async () => {
      await h.send({ member_update: [{ id: 'u1', data: { memberId: 'm_ice', changes: { notes: 'n' } } }] });
      const out = await h.send({
        member_unfreeze: [
          { id: 'f1', data: { memberId: 'm_ice', baseVersion: 1 } },
          { id: 'f2', data: { memberId: 'm_x' } },
        ],
      });
      expect(out.results.member_unfreeze?.rejected?.map((r) => [r.id, r.code])).toEqual([
        ['f1', 'VERSION_CONFLICT'],
        ['f2', 'MEMBER_NOT_FOUND'],
      ]);
      expect((await h.store.getMember('m_ice'))?.status).toBe('frozen');
    });
  },
  {
    setup: async (h) => {
      await h.addMember('m_ice', { status: 'frozen' });
      await h.addMember('m_ok');
    },
  },
);
