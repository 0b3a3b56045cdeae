import { expect, it } from 'vitest';
import { describeEachBackend } from '../../../test/support/consumer-harness.js';

// TEST_NOW is 2026-11-26 (UTC)
describeEachBackend(
  'member_renew handler',
  (h) => {
    it('makes an expired member active with the new expiry and plan, and can then check in', async () => {
      const refused = await h.send({ check_in: [{ id: 'c0', data: { memberId: 'm_old' } }] });
      expect(refused.results.check_in?.rejected?.[0]?.code).toBe('MEMBERSHIP_INACTIVE');
      const out = await h.send({
        member_renew: [
          { id: 'r1', data: { memberId: 'm_old', plan: 'premium', expiresAt: '2027-11-26', baseVersion: 1 } },
        ],
      });
      expect(out.results.member_renew?.accepted).toEqual(['r1']);
      expect(out.results.member_renew?.info?.r1).toEqual({ version: 2, expiresAt: '2027-11-26' });
      expect(await h.store.getMember('m_old')).toMatchObject({
        status: 'active',
        plan: 'premium',
        expiresAt: '2027-11-26',
        version: 2,
      });
      expect(out.events[0]).toMatchObject({
        name: 'member.updated',
        topic: 'members',
        data: { change: 'renewed', member: { id: 'm_old', status: 'active', version: 2 } },
      });
      const again = await h.send({ check_in: [{ id: 'c1', data: { memberId: 'm_old' } }] });
      expect(again.results.check_in?.accepted).toEqual(['c1']);
    });

    it('keeps the plan when none is given', async () => {
      const out = await h.send({
        member_renew: [{ id: 'r1', data: { memberId: 'm_old', expiresAt: '2027-01-31' } }],
      });
      expect(out.results.member_renew?.accepted).toEqual(['r1']);
      expect(await h.store.getMember('m_old')).toMatchObject({ plan: 'basic', expiresAt: '2027-01-31' });
    });

    it('refuses an expiry that is not after today, and changes nothing', async () => {
      const out = await h.send({
        member_renew: [
          { id: 'r1', data: { memberId: 'm_old', expiresAt: '2026-11-26' } },
          { id: 'r2', data: { memberId: 'm_old', expiresAt: '2025-01-01' } },
        ],
      });
      expect(out.results.member_renew?.rejected?.map((r) => [r.id, r.code])).toEqual([
        ['r1', 'VALIDATION_FAILED'],
        ['r2', 'VALIDATION_FAILED'],
      ]);
      expect(out.results.member_renew?.rejected?.[0]?.message).toContain('expiresAt');
      expect(await h.store.getMember('m_old')).toMatchObject({ status: 'expired', version: 1 });
      expect(out.events).toEqual([]);
    });

    it('refuses a frozen member with WRONG_STATE: the freeze is lifted only by member_unfreeze', async () => {
      const out = await h.send({
        member_renew: [{ id: 'r1', data: { memberId: 'm_ice', expiresAt: '2027-06-30' } }],
      });
      expect(out.results.member_renew?.rejected?.[0]).toMatchObject({ id: 'r1', code: 'WRONG_STATE' });
      expect(await h.store.getMember('m_ice')).toMatchObject({ status: 'frozen', version: 1 });
    });

    it('refuses a stale baseVersion with VERSION_CONFLICT and the current member', async () => {
      await h.send({ member_update: [{ id: 'u1', data: { memberId: 'm_old', changes: { notes: 'n' } } }] });
      const out = await h.send({
        member_renew: [{ id: 'r1', data: { memberId: 'm_old', expiresAt: '2027-06-30', baseVersion: 1 } }],
      });
      expect(out.results.member_renew?.rejected?.[0]).toMatchObject({
        code: 'VERSION_CONFLICT',
        data: { id: 'm_old', version: 2 },
      });
    });

    it('refuses an unknown member and a malformed date', async () => {
      const out = await h.send({
        member_renew: [
          { id: 'r1', data: { memberId: 'm_x', expiresAt: '2027-06-30' } },
          { id: 'r2', data: { memberId: 'm_old', expiresAt: '2027-02-30' } },
        ],
      });
      expect(out.results.member_renew?.rejected?.map((r) => [r.id, r.code])).toEqual([
        ['r1', 'MEMBER_NOT_FOUND'],
        ['r2', 'VALIDATION_FAILED'],
      ]);
    });
  },
  {
    setup: async (h) => {
      await h.addMember('m_old', { status: 'expired', expiresAt: '2026-10-01' });
      await h.addMember('m_ice', { status: 'frozen' });
    },
  },
);
