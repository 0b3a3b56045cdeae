import { afterEach, describe, expect, it } from 'vitest';
import { type AuditRecord, auditRecord } from '../../src/store/audit-records.js';
import type { KyselyStore } from '../../src/store/kysely-store.js';
import { member, type StoreHarnessFactory } from './store.contract.js';

const T0 = Date.UTC(2026, 10, 26, 9, 0, 0);
const DAY = 86_400_000;

/**
 * Staff roles, the audited staff changes and the append-only audit trail with its filters,
 * run against SQLite and PostgreSQL (PostgreSQL's append-only trigger: postgres/audit-append-only.test.ts).
 */
export function staffAuditContract(name: string, factory: StoreHarnessFactory): void {
  describe(`${name} (staff and audit contract)`, () => {
    const cleanups: (() => Promise<void>)[] = [];
    const open = async (): Promise<KyselyStore> => {
      const harness = await factory();
      const store: KyselyStore = await harness.open();
      cleanups.push(async () => {
        await store.close();
        await harness.cleanup();
      });
      await store.init({ seedDemo: false, now: T0 });
      return store;
    };
    afterEach(async () => {
      for (const c of cleanups.splice(0)) await c();
    });
    const staff = (username: string, role: 'desk' | 'manager' | 'admin') => ({
      username,
      passwordHash: 'scrypt$1$00$00',
      createdAt: T0,
      role,
      displayName: `Name ${username}`,
    });
    const cli = { staff: 'cli', deskId: null };

    it('keeps the role and display name; an account made without a role is desk; a session reads its role', async () => {
      const store = await open();
      await store.ensureStaff({ username: 'plain', passwordHash: 'x', createdAt: T0 });
      expect(await store.staffAdmin.create(staff('mo', 'manager'), cli, T0)).toEqual({ ended: [] });
      expect(await store.staffAdmin.create(staff('mo', 'admin'), cli, T0)).toBe('exists');
      expect(await store.getStaff('plain')).toMatchObject({ role: 'desk', displayName: '' });
      expect(await store.getStaff('mo')).toMatchObject({ role: 'manager', displayName: 'Name mo' });
      await store.createSession({
        tokenHash: 'h'.repeat(64),
        username: 'mo',
        createdAt: T0,
        expiresAt: T0 + DAY,
      });
      expect((await store.getSession('h'.repeat(64)))?.role).toBe('manager');
      expect((await store.listStaff()).map((s) => [s.username, s.role])).toEqual([
        ['mo', 'manager'],
        ['plain', 'desk'],
      ]);
    });

    it('keeps the staff member who checked a member in on the visit (read back after a restart)', async () => {
      const harness = await factory();
      const first: KyselyStore = await harness.open();
      await first.init({ seedDemo: false, now: T0 });
      await first.transaction((tx) => tx.insertMembers([member('m_1', 1), member('m_2', 2)]));
      await first.transaction((tx) =>
        tx.insertVisits([
          { id: 'v_1', memberId: 'm_1', deskId: 'd1', checkedInAt: T0, checkedOutAt: null, staff: 'dana' },
          { id: 'v_2', memberId: 'm_2', deskId: 'd1', checkedInAt: T0, checkedOutAt: null },
        ]),
      );
      await first.close();
      const second: KyselyStore = await harness.open();
      cleanups.push(async () => {
        await second.close();
        await harness.cleanup();
      });
      await second.init({ seedDemo: false, now: T0 });
      const open = await second.transaction((tx) => tx.openVisits(['m_1', 'm_2']));
      expect(open.get('m_1')?.staff).toBe('dana');
      expect(open.get('m_2')?.staff ?? null).toBeNull();
    });

    it('refuses to disable or demote the last active admin, and allows it with a second admin', async () => {
      const store = await open();
      await store.staffAdmin.create(staff('ada', 'admin'), cli, T0);
      expect(await store.staffAdmin.update('ada', { role: 'desk' }, cli, T0)).toBe('last_admin');
      expect(await store.staffAdmin.update('ada', { active: false }, cli, T0)).toBe('last_admin');
      expect(await store.staffAdmin.update('nobody', { active: false }, cli, T0)).toBe('not_found');
      await store.staffAdmin.create(staff('bo', 'admin'), cli, T0);
      await store.createSession({
        tokenHash: 'b'.repeat(64),
        username: 'ada',
        createdAt: T0,
        expiresAt: T0 + DAY,
      });
      expect(await store.staffAdmin.update('ada', { active: false }, cli, T0 + 1)).toEqual({
        ended: ['b'.repeat(64)],
      });
      expect(await store.getStaff('ada')).toMatchObject({ disabledAt: T0 + 1, role: 'admin' });
      // ada is disabled: bo is the only active admin now
      expect(await store.staffAdmin.update('bo', { role: 'manager' }, cli, T0)).toBe('last_admin');
      expect(await store.staffAdmin.update('ada', { active: true }, cli, T0 + 2)).toEqual({ ended: [] });
      expect(await store.staffAdmin.update('bo', { role: 'manager' }, cli, T0 + 3)).toEqual({ ended: [] });
    });

    it('sets a password ending every session but the one kept, with an audit row that holds no hash', async () => {
      const store = await open();
      await store.staffAdmin.create(staff('pam', 'desk'), cli, T0);
      for (const c of ['1', '2', '3'])
        await store.createSession({
          tokenHash: c.repeat(64),
          username: 'pam',
          createdAt: T0,
          expiresAt: T0 + DAY,
        });
      const out = await store.staffAdmin.setPassword(
        'pam',
        'scrypt$new$hash',
        { staff: 'pam', deskId: 'd1' },
        T0 + 5,
        {
          keepTokenHash: '2'.repeat(64),
          action: 'password_change',
        },
      );
      expect(out).toEqual({ ended: expect.arrayContaining(['1'.repeat(64), '3'.repeat(64)]) });
      expect(await store.getSession('2'.repeat(64))).toBeDefined();
      expect((await store.getStaff('pam'))?.passwordHash).toBe('scrypt$new$hash');
      const page = await store.queryAudit({ staff: 'pam', limit: 10 });
      expect(page.entries).toEqual([
        expect.objectContaining({ action: 'password_change', targetStaff: 'pam', deskId: 'd1', at: T0 + 5 }),
      ]);
      expect(JSON.stringify(page)).not.toContain('scrypt');
      expect(await store.staffAdmin.setPassword('nobody', 'h', cli, T0)).toBe('not_found');
    });

    it('appends audit rows in a transaction and reads them newest first by member, staff, desk and day, in keyset pages', async () => {
      const store = await open();
      const rows: AuditRecord[] = [];
      for (let i = 0; i < 30; i++) {
        rows.push(
          auditRecord(
            { staff: i % 3 === 0 ? 'mo' : 'dana', deskId: i % 2 === 0 ? 'desk-1' : 'desk-2' },
            T0 + (i < 20 ? 0 : DAY) + i,
            {
              action: i % 5 === 0 ? 'member_update' : 'check_in',
              memberId: `m_${i % 4}`,
              before: i % 5 === 0 ? { name: `Old ${i}` } : null,
              after: i % 5 === 0 ? { name: `New ${i}` } : { visitId: `v_${i}` },
              reason: i === 7 ? 'card forgotten' : null,
            },
          ),
        );
      }
      await store.transaction((tx) => tx.recordAudit(rows));
      const all = await store.queryAudit({ limit: 500 });
      expect(all.entries.map((e) => e.id)).toEqual(rows.map((r) => r.id).reverse());
      expect(all.nextBefore).toBeNull();
      expect(all.entries.find((e) => e.reason)?.reason).toBe('card forgotten');
      expect(all.entries.at(-1)).toEqual(rows[0]);

      const byMember = await store.queryAudit({ member: 'm_1', limit: 500 });
      expect(byMember.entries.map((e) => e.memberId)).toEqual(Array(byMember.entries.length).fill('m_1'));
      expect(byMember.entries).toHaveLength(rows.filter((r) => r.memberId === 'm_1').length);
      const mine = await store.queryAudit({ staff: 'mo', desk: 'desk-1', limit: 500 });
      expect(mine.entries.map((e) => e.id)).toEqual(
        rows
          .filter((r) => r.staff === 'mo' && r.deskId === 'desk-1')
          .map((r) => r.id)
          .reverse(),
      );
      const nextDay = await store.queryAudit({ day: '2026-11-27', limit: 500 });
      expect(nextDay.entries).toHaveLength(10);
      expect((await store.queryAudit({ day: '2026-11-25', limit: 500 })).entries).toEqual([]);

      const seen: string[] = [];
      let before: string | undefined;
      for (let pages = 0; pages < 10; pages++) {
        const page = await store.queryAudit({ limit: 7, ...(before ? { before } : {}) });
        seen.push(...page.entries.map((e) => e.id));
        if (page.nextBefore === null) break;
        before = page.nextBefore;
      }
      expect(seen).toEqual(rows.map((r) => r.id).reverse());
    });
  });
}
