import { AuditQuery } from '@av-gym/protocol';
import { expect, it } from 'vitest';
import { describeEachBackend } from '../../../test/support/consumer-harness.js';
import type { Actor } from '../types.js';

const desk: Actor = { username: 'dana', role: 'desk', deskId: 'desk-1' };
const manager: Actor = { username: 'mo', role: 'manager', deskId: 'desk-2' };
const audit = (h: { store: { queryAudit: (q: AuditQuery) => Promise<unknown> } }, q: object = {}) =>
  h.store.queryAudit(AuditQuery.parse(q)) as Promise<{ entries: { action: string }[] }>;

// TEST_NOW is 2026-11-26 (UTC); the harness's members m_old (expired) and m_ice (frozen) come from its setup.
describeEachBackend(
  'roles through the consumer',
  (h) => {
    it('refuses member_renew and member_unfreeze from a desk role with FORBIDDEN and writes nothing', async () => {
      const out = await h.send(
        {
          member_renew: [{ id: 'r1', data: { memberId: 'm_old', expiresAt: '2027-11-26' } }],
          member_unfreeze: [{ id: 'u1', data: { memberId: 'm_ice' } }],
        },
        { actor: desk },
      );
      expect(out.results.member_renew?.rejected?.[0]).toMatchObject({ id: 'r1', code: 'FORBIDDEN' });
      expect(out.results.member_renew?.rejected?.[0]?.message).toContain('desk role may not');
      expect(out.results.member_unfreeze?.rejected?.[0]).toMatchObject({ id: 'u1', code: 'FORBIDDEN' });
      expect(out.events).toEqual([]);
      expect(await h.store.getMember('m_old')).toMatchObject({ status: 'expired', version: 1 });
      expect(await h.store.getMember('m_ice')).toMatchObject({ status: 'frozen', version: 1 });
      expect((await audit(h)).entries.filter((e) => e.action !== 'member_create')).toEqual([]);
    });

    it('lets a manager renew and unfreeze, each with an audit row naming the manager, desk and fields', async () => {
      const out = await h.send(
        {
          member_renew: [{ id: 'r1', data: { memberId: 'm_old', expiresAt: '2027-11-26' } }],
          member_unfreeze: [{ id: 'u1', data: { memberId: 'm_ice' } }],
        },
        { actor: manager, clientId: 'desk-2' },
      );
      expect(out.results.member_renew?.accepted).toEqual(['r1']);
      expect(out.results.member_unfreeze?.accepted).toEqual(['u1']);
      const page = await h.store.queryAudit(AuditQuery.parse({ staff: 'mo' }));
      expect(page.entries.map((e) => e.action).sort()).toEqual(['member_renew', 'member_unfreeze']);
      const renew = page.entries.find((e) => e.action === 'member_renew');
      expect(renew).toMatchObject({
        staff: 'mo',
        deskId: 'desk-2',
        memberId: 'm_old',
        before: { status: 'expired', expiresAt: '2026-01-31' },
        after: { status: 'active', expiresAt: '2027-11-26' },
      });
    });

    it("refuses a desk's edit of the home club or access rule (the club rule nobody overrides); a manager's passes", async () => {
      const out = await h.send(
        {
          member_update: [
            { id: 'c1', data: { memberId: 'm_old', changes: { accessRule: 'home' } } },
            { id: 'c2', data: { memberId: 'm_old', changes: { homeClubId: 'main' } } },
          ],
        },
        { actor: desk },
      );
      expect(out.results.member_update?.rejected?.map((r) => [r.id, r.code])).toEqual([
        ['c1', 'FORBIDDEN'],
        ['c2', 'FORBIDDEN'],
      ]);
      expect(out.results.member_update?.rejected?.[0]?.message).toContain('access rule');
      expect(await h.store.getMember('m_old')).toMatchObject({ accessRule: 'all', version: 1 });
      const ok = await h.send(
        { member_update: [{ id: 'c3', data: { memberId: 'm_old', changes: { accessRule: 'home' } } }] },
        { actor: manager },
      );
      expect(ok.results.member_update?.accepted).toEqual(['c3']);
      expect(await h.store.getMember('m_old')).toMatchObject({ accessRule: 'home', version: 2 });
    });

    it('lets a desk edit contact details (audited before and after) but not the plan, status or expiry', async () => {
      const out = await h.send(
        {
          member_update: [
            { id: 'e1', data: { memberId: 'm_old', changes: { name: 'Olga Renamed', phone: '555-0101' } } },
            { id: 'e2', data: { memberId: 'm_old', changes: { expiresAt: '2030-01-01' } } },
            { id: 'e3', data: { memberId: 'm_old', changes: { status: 'active' } } },
          ],
        },
        { actor: desk },
      );
      expect(out.results.member_update?.accepted).toEqual(['e1']);
      expect(out.results.member_update?.rejected?.map((r) => [r.id, r.code])).toEqual([
        ['e2', 'FORBIDDEN'],
        ['e3', 'FORBIDDEN'],
      ]);
      expect(await h.store.getMember('m_old')).toMatchObject({
        name: 'Olga Renamed',
        expiresAt: '2026-01-31',
      });
      const page = await h.store.queryAudit(AuditQuery.parse({ member: 'm_old' }));
      expect(page.entries[0]).toMatchObject({
        action: 'member_update',
        staff: 'dana',
        deskId: 'desk-1',
        before: { name: 'Member m_old', phone: null },
        after: { name: 'Olga Renamed', phone: '555-0101' },
      });
    });

    it('records who created a member', async () => {
      const out = await h.send(
        {
          member_create: [
            {
              id: 'n1',
              data: { memberId: 'm_new', name: 'Nia New', plan: 'basic', expiresAt: '2027-12-31' },
            },
          ],
        },
        { actor: desk },
      );
      expect(out.results.member_create?.accepted).toEqual(['n1']);
      const page = await h.store.queryAudit(AuditQuery.parse({ member: 'm_new' }));
      expect(page.entries).toEqual([
        expect.objectContaining({
          action: 'member_create',
          staff: 'dana',
          after: expect.objectContaining({ name: 'Nia New' }),
        }),
      ]);
    });

    it('answers a repeat of a refused message with the same refusal (it is recorded) and still writes nothing', async () => {
      const batch = { member_unfreeze: [{ id: 'u1', data: { memberId: 'm_ice' } }] };
      await h.send(batch, { actor: desk });
      const again = await h.send(batch, { actor: desk });
      expect(again.results.member_unfreeze?.rejected?.[0]?.code).toBe('FORBIDDEN');
      expect(await h.store.getMember('m_ice')).toMatchObject({ status: 'frozen' });
    });
  },
  {
    setup: async (h) => {
      await h.addMember('m_old', { status: 'expired', expiresAt: '2026-01-31' });
      await h.addMember('m_ice', { status: 'frozen', expiresAt: '2027-06-30' });
    },
  },
);
