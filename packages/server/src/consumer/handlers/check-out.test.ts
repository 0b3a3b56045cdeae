import { AuditQuery } from '@av-gym/protocol';
import { expect, it } from 'vitest';
import { describeEachBackend } from '../../../test/support/consumer-harness.js';

describeEachBackend(
  'check_out handler',
  (h) => {
    it('closes the open visit and answers visitId and stayMinutes', async () => {
      const checkedIn = await h.send({
        check_in: [{ id: 'c1', data: { memberId: 'm_1', at: h.clock.now() - 45 * 60_000 } }],
      });
      const visitId = checkedIn.results.check_in?.info?.c1?.visitId;
      const out = await h.send({ check_out: [{ id: 'o1', data: { memberId: 'm_1' } }] });
      expect(out.results.check_out?.accepted).toEqual(['o1']);
      expect(out.results.check_out?.info?.o1).toEqual({ visitId, stayMinutes: 45 });
      const [visit] = await h.store.listVisits({ memberId: 'm_1', limit: 1 });
      expect(visit?.checkedOutAt).toBe(h.clock.now());
      expect(out.events.find((e) => e.name === 'check_out.created')?.data).toMatchObject({
        visitId,
        stayMinutes: 45,
      });
    });

    it('writes one check_out audit row per check-out, and none for a refused one', async () => {
      await h.send({ check_in: [{ id: 'c1', data: { memberId: 'm_1', at: h.clock.now() - 30 * 60_000 } }] });
      const out = await h.send({ check_out: [{ id: 'o1', data: { memberId: 'm_1' } }] });
      const visitId = out.results.check_out?.info?.o1?.visitId;
      await h.send({ check_out: [{ id: 'o2', data: { memberId: 'm_1' } }] });
      const audit = await h.store.queryAudit(AuditQuery.parse({ member: 'm_1' }));
      const rows = audit.entries.filter((e) => e.action === 'check_out');
      expect(rows).toHaveLength(1);
      expect(rows[0]).toMatchObject({ memberId: 'm_1', after: { visitId, stayMinutes: 30 } });
    });

    it('rejects a member with no open visit with NOT_CHECKED_IN', async () => {
      const out = await h.send({ check_out: [{ id: 'o1', data: { memberId: 'm_1' } }] });
      expect(out.results.check_out?.rejected).toEqual([
        { id: 'o1', code: 'NOT_CHECKED_IN', message: 'Member m_1 is not checked in' },
      ]);
    });

    it('rejects an unknown member with MEMBER_NOT_FOUND', async () => {
      const out = await h.send({ check_out: [{ id: 'o1', data: { memberId: 'm_ghost' } }] });
      expect(out.results.check_out?.rejected?.[0]?.code).toBe('MEMBER_NOT_FOUND');
    });

    it('never closes a visit before it opened', async () => {
      await h.send({ check_in: [{ id: 'c1', data: { memberId: 'm_1' } }] });
      const out = await h.send({
        check_out: [{ id: 'o1', data: { memberId: 'm_1', at: h.clock.now() - 3_600_000 } }],
      });
      expect(out.results.check_out?.info?.o1?.stayMinutes).toBe(0);
      const [visit] = await h.store.listVisits({ memberId: 'm_1', limit: 1 });
      expect(visit?.checkedOutAt).toBe(visit?.checkedInAt);
    });
  },
  { setup: (h) => h.addMember('m_1') },
);
