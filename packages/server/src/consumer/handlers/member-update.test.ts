import { expect, it } from 'vitest';
import { describeEachBackend } from '../../../test/support/consumer-harness.js';

describeEachBackend(
  'member_update handler',
  (h) => {
    it('patches the named fields, bumps the version and answers it', async () => {
      const out = await h.send({
        member_update: [
          {
            id: 'u1',
            data: { memberId: 'm_1', changes: { phone: '+44 20 7946 0000', notes: 'VIP' }, baseVersion: 1 },
          },
        ],
      });
      expect(out.results.member_update?.accepted).toEqual(['u1']);
      expect(out.results.member_update?.info?.u1).toEqual({ version: 2 });
      expect(await h.store.getMember('m_1')).toMatchObject({
        phone: '+44 20 7946 0000',
        notes: 'VIP',
        version: 2,
        name: 'Member m_1',
      });
      expect(out.events[0]).toMatchObject({
        name: 'member.updated',
        topic: 'members',
        data: { member: { id: 'm_1', version: 2 } },
      });
    });

    it('applies several updates of one member in one batch in order', async () => {
      const out = await h.send({
        member_update: [
          { id: 'u1', data: { memberId: 'm_1', changes: { name: 'First' }, baseVersion: 1 } },
          { id: 'u2', data: { memberId: 'm_1', changes: { name: 'Second' }, baseVersion: 2 } },
          { id: 'u3', data: { memberId: 'm_1', changes: { plan: 'student' } } },
        ],
      });
      expect(out.results.member_update?.accepted).toEqual(['u1', 'u2', 'u3']);
      expect(await h.store.getMember('m_1')).toMatchObject({ name: 'Second', plan: 'student', version: 4 });
    });

    it('rejects a stale baseVersion with VERSION_CONFLICT and the current member', async () => {
      await h.send({ member_update: [{ id: 'u1', data: { memberId: 'm_1', changes: { notes: 'a' } } }] });
      const out = await h.send({
        member_update: [{ id: 'u2', data: { memberId: 'm_1', changes: { notes: 'b' }, baseVersion: 1 } }],
      });
      const [rejection] = out.results.member_update?.rejected ?? [];
      expect(rejection).toMatchObject({
        id: 'u2',
        code: 'VERSION_CONFLICT',
        data: { id: 'm_1', version: 2, notes: 'a' },
      });
      expect((await h.store.getMember('m_1'))?.notes).toBe('a');
    });

    it('rejects an unknown member with MEMBER_NOT_FOUND', async () => {
      const out = await h.send({
        member_update: [{ id: 'u1', data: { memberId: 'm_x', changes: { notes: 'x' } } }],
      });
      expect(out.results.member_update?.rejected?.[0]?.code).toBe('MEMBER_NOT_FOUND');
    });
  },
  { setup: (h) => h.addMember('m_1') },
);
