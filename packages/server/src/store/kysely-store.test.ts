import BetterSqlite3 from 'better-sqlite3';
import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openTempStore, TEST_NOW, type TempStore } from '../../test/support/temp-sqlite-store.js';
import { DEMO_MEMBER_COUNT, DEMO_OPEN_VISITS } from './demo-seed.js';
import { createSqliteStore } from './sqlite/create-sqlite-store.js';

describe('SQLite store', () => {
  let t: TempStore;
  beforeEach(async () => {
    t = await openTempStore({ seedDemo: true });
  });
  afterEach(async () => {
    await t.cleanup();
  });

  describe('init', () => {
    it('seeds the demo gym once, even when started again', async () => {
      const again = createSqliteStore({ file: t.file, logger: pino({ level: 'silent' }) });
      await again.init({ seedDemo: true, now: TEST_NOW + 1000 });
      await again.close();
      const members = await t.store.searchMembers({ limit: 1000 });
      expect(members).toHaveLength(DEMO_MEMBER_COUNT);
      expect(await t.store.listVisits({ open: true, limit: 100 })).toHaveLength(DEMO_OPEN_VISITS);
    });

    it('leaves a database empty without seedDemo', async () => {
      const empty = await openTempStore({ seedDemo: false });
      expect(await empty.store.searchMembers({ limit: 10 })).toEqual([]);
      expect(await empty.store.lastEventSeq()).toBe(0);
      await empty.cleanup();
    });

    it('runs in WAL mode with synchronous=NORMAL', async () => {
      expect(await t.store.ping()).toBe(true);
      const raw = new BetterSqlite3(t.file, { readonly: true });
      expect(raw.pragma('journal_mode', { simple: true })).toBe('wal');
      raw.close();
    });
  });

  describe('searchMembers', () => {
    it('matches names case-insensitively anywhere in the name', async () => {
      const all = await t.store.searchMembers({ limit: 1000 });
      const target = all.find((m) => m.name.includes(' '))!;
      const last = target.name.split(' ')[1]!.toUpperCase();
      const hits = await t.store.searchMembers({ q: last, limit: 1000 });
      expect(hits.length).toBeGreaterThan(0);
      expect(
        hits.every((m) => m.name.toUpperCase().includes(last) || m.email?.toUpperCase().includes(last)),
      ).toBe(true);
      expect(hits.map((m) => m.id)).toContain(target.id);
    });

    it('matches membership numbers by prefix and puts an exact number first', async () => {
      const all = await t.store.searchMembers({ limit: 1000 });
      const target = all[17]!;
      const [first] = await t.store.searchMembers({ q: target.membershipNumber, limit: 5 });
      expect(first?.id).toBe(target.id);
      const prefix = target.membershipNumber.slice(0, 4);
      const hits = await t.store.searchMembers({ q: prefix, limit: 1000 });
      expect(hits.every((m) => m.membershipNumber.startsWith(prefix) || m.name.includes(prefix))).toBe(true);
    });

    it('matches email, filters by status, honours the limit and treats % literally', async () => {
      const frozen = await t.store.searchMembers({ status: 'frozen', limit: 1000 });
      expect(frozen.length).toBeGreaterThan(0);
      expect(frozen.every((m) => m.status === 'frozen')).toBe(true);
      expect(await t.store.searchMembers({ q: '@EXAMPLE.com', limit: 3 })).toHaveLength(3);
      expect(await t.store.searchMembers({ q: '%', limit: 3 })).toEqual([]);
    });
  });

  describe('getMember and listVisits', () => {
    it('returns a member with lastVisitAt, or undefined', async () => {
      const [open] = await t.store.listVisits({ open: true, limit: 1 });
      const member = await t.store.getMember(open!.memberId);
      expect(member?.lastVisitAt).toBe(open!.checkedInAt);
      expect(member?.name).toBe(open!.memberName);
      expect(await t.store.getMember('m_nope')).toBeUndefined();
    });

    it('lists visits newest first, filtered by member, open state and since', async () => {
      const visits = await t.store.listVisits({ limit: 50 });
      expect(visits).toHaveLength(50);
      const times = visits.map((v) => v.checkedInAt);
      expect(times).toEqual([...times].sort((a, b) => b - a));
      const closed = await t.store.listVisits({ open: false, limit: 1000 });
      expect(closed.every((v) => v.checkedOutAt !== null)).toBe(true);
      const since = TEST_NOW - 86_400_000;
      const recent = await t.store.listVisits({ since, limit: 1000 });
      expect(recent.every((v) => v.checkedInAt >= since)).toBe(true);
      const memberId = closed[0]!.memberId;
      const mine = await t.store.listVisits({ memberId, limit: 1000 });
      expect(mine.length).toBeGreaterThan(0);
      expect(mine.every((v) => v.memberId === memberId)).toBe(true);
    });
  });

  describe('occupancy', () => {
    it('counts open visits, visits since UTC midnight and the average stay of visits closed today', async () => {
      const occ = await t.store.occupancy(TEST_NOW);
      expect(occ.current).toBe(DEMO_OPEN_VISITS);
      expect(occ.capacity).toBe(120);
      const midnight = Date.UTC(2026, 10, 26);
      const today = (await t.store.listVisits({ since: midnight, limit: 10_000 })).length;
      expect(occ.todayTotal).toBe(today);
      const closedToday = (await t.store.listVisits({ open: false, limit: 10_000 })).filter(
        (v) => (v.checkedOutAt ?? 0) >= midnight,
      );
      const avg =
        closedToday.reduce((s, v) => s + (v.checkedOutAt! - v.checkedInAt), 0) / closedToday.length / 60_000;
      expect(occ.averageStayMinutes).toBeCloseTo(avg, 1);
    });

    it('reports an average stay of 0 when nobody left today', async () => {
      const occ = await t.store.occupancy(TEST_NOW + 30 * 86_400_000);
      expect(occ).toMatchObject({ current: DEMO_OPEN_VISITS, todayTotal: 0, averageStayMinutes: 0 });
    });
  });

  describe('staff and sessions', () => {
    it('creates a staff account once and never overwrites its password', async () => {
      expect(
        await t.store.ensureStaff({ username: 'admin', passwordHash: 'scrypt$1$a$b', createdAt: 1 }),
      ).toBe(true);
      expect(
        await t.store.ensureStaff({ username: 'admin', passwordHash: 'scrypt$1$c$d', createdAt: 2 }),
      ).toBe(false);
      expect(await t.store.getStaff('admin')).toEqual({
        username: 'admin',
        passwordHash: 'scrypt$1$a$b',
        createdAt: 1,
        role: 'desk',
        displayName: '',
      });
      expect(await t.store.getStaff('nobody')).toBeUndefined();
    });

    it('stores, reads and deletes sessions', async () => {
      await t.store.ensureStaff({ username: 'admin', passwordHash: 'scrypt$1$a$b', createdAt: 1 });
      const session = { tokenHash: 'tok-1', username: 'admin', createdAt: 10, expiresAt: 20 };
      await t.store.createSession(session);
      expect(await t.store.getSession('tok-1')).toEqual({ ...session, role: 'desk' });
      await t.store.deleteSession('tok-1');
      expect(await t.store.getSession('tok-1')).toBeUndefined();
    });
  });
});
