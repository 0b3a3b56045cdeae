import type { ServerEvent } from '@av-gym/protocol';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { createBatchConsumer } from '../../src/consumer/batch-consumer.js';
import { DEMO_CLUBS } from '../../src/store/demo-history.js';
import { buildDemoGym } from '../../src/store/demo-seed.js';
import { RecordingSink } from '../support/recording-sink.js';
import { TEST_NOW } from '../support/temp-sqlite-store.js';
import { member, type StoreHarnessFactory } from './store.contract.js';

const silent = pino({ level: 'silent' });
const CLUBS = [
  { id: 'main', name: 'Central', capacity: 100, timeZone: 'Europe/London' },
  { id: 'north', name: 'Northside', capacity: 5, timeZone: 'Europe/London' },
  { id: 'river', name: 'Riverside', capacity: 60, timeZone: 'Europe/Dublin' },
];

/**
 * Issue 17 on every store: clubs, desks' clubs, access rules, capacity (batch-aware), per-club
 * occupancy figures and the demo history, run against SQLite and PostgreSQL.
 */
export function clubContract(name: string, factory: StoreHarnessFactory): void {
  describe(`${name} (club contract)`, () => {
    const cleanups: (() => Promise<void>)[] = [];
    const open = async (options: { seedDemo?: boolean; seedHistoryDays?: number } = {}) => {
      const harness = await factory();
      const store = await harness.open();
      cleanups.push(async () => {
        await store.close();
        await harness.cleanup();
      });
      await store.init({
        seedDemo: options.seedDemo ?? false,
        seedHistoryDays: options.seedHistoryDays ?? 0,
        now: TEST_NOW,
      });
      return store;
    };
    afterEach(async () => {
      for (const c of cleanups.splice(0)) await c();
    });

    /** A store with the three test clubs, desk `n-1` at Northside, and members of each access rule. */
    const chain = async () => {
      const store = await open();
      await store.clubs.save(CLUBS, TEST_NOW);
      expect(await store.clubs.setDeskClub('n-1', 'north', TEST_NOW)).toEqual({
        deskId: 'n-1',
        clubId: 'north',
        configured: true,
      });
      await store.transaction((tx) =>
        tx.insertMembers([
          member('m_home', 1, { name: 'Hana Home', homeClubId: 'main', accessRule: 'home' }),
          member('m_all', 2, { name: 'Alex All', homeClubId: 'main', accessRule: 'all' }),
          member('m_north', 3, { name: 'Nell North', homeClubId: 'north', accessRule: 'home' }),
          ...Array.from({ length: 13 }, (_, i) =>
            member(`m_n${i}`, 10 + i, { homeClubId: 'north', accessRule: 'home' }),
          ),
        ]),
      );
      const sink = new RecordingSink();
      const consumer = createBatchConsumer({ store, sink, logger: silent });
      const checkIn = (
        items: { memberId: string; deskId?: string; override?: { reason: string } }[],
        role?: 'desk' | 'manager',
      ) =>
        consumer.handleBatch({
          clientId: 'desk-test',
          batches: {
            check_in: items.map((data, i) => ({ id: `ci-${data.memberId}-${i}-${Math.random()}`, data })),
          },
          ...(role
            ? { actor: { username: role === 'manager' ? 'mia' : 'dan', role, deskId: 'desk-test' } }
            : {}),
        });
      return { store, sink, consumer, checkIn };
    };

    it('starts with the default club, keeps clubs in order and refuses an unknown time zone', async () => {
      const store = await open();
      expect(await store.clubs.list()).toEqual([
        { id: 'main', name: 'Main club', capacity: 120, timeZone: 'UTC' },
      ]);
      await store.clubs.save(CLUBS, TEST_NOW);
      expect((await store.clubs.list()).map((c) => c.id)).toEqual(['main', 'north', 'river']);
      expect((await store.clubs.list())[1]).toEqual(CLUBS[1]);
      await expect(
        store.clubs.save([{ id: 'moon', name: 'Moon', capacity: 10, timeZone: 'Moon/Base' }], TEST_NOW),
      ).rejects.toThrow(/time zone/);
      expect(await store.clubs.deskClub('never-set')).toEqual({
        deskId: 'never-set',
        clubId: 'main',
        configured: false,
      });
      expect(await store.clubs.setDeskClub('d', 'nowhere', TEST_NOW)).toBeUndefined();
      expect(await store.clubs.deskClub('d')).toMatchObject({ clubId: 'main', configured: false });
    });

    it('refuses a home-only member at another club in words, admits an all-clubs member and records the club', async () => {
      const { store, checkIn } = await chain();
      const out = await checkIn([
        { memberId: 'm_home', deskId: 'n-1' },
        { memberId: 'm_all', deskId: 'n-1' },
        { memberId: 'm_north', deskId: 'n-1' },
      ]);
      const rejected = out.results.check_in?.rejected ?? [];
      expect(rejected).toHaveLength(1);
      expect(rejected[0]).toMatchObject({
        code: 'CLUB_NOT_ALLOWED',
        message: "Hana Home's membership is for Central only; this desk is at Northside",
      });
      expect(out.results.check_in?.accepted).toHaveLength(2);
      const open = await store.listVisits({ open: true, limit: 10 });
      expect(open.map((v) => [v.memberId, v.clubId]).sort()).toEqual([
        ['m_all', 'north'],
        ['m_north', 'north'],
      ]);
      // A desk never set up is at the default club: the home-only member of Central gets in there.
      const home = await checkIn([{ memberId: 'm_home', deskId: 'front' }]);
      expect(home.results.check_in?.accepted).toHaveLength(1);
      const found = await store.searchMembers({ q: 'Hana', limit: 5 });
      expect(found[0]).toMatchObject({ homeClubId: 'main', accessRule: 'home' });
    });

    it('follows a desk set up, and a capacity changed, between two batches', async () => {
      const { store, checkIn } = await chain();
      const first = await checkIn([{ memberId: 'm_n0', deskId: 'later' }]);
      expect(first.results.check_in?.rejected?.[0]?.code).toBe('CLUB_NOT_ALLOWED');
      await store.clubs.setDeskClub('later', 'north', TEST_NOW);
      const second = await checkIn([{ memberId: 'm_n0', deskId: 'later' }]);
      expect(second.results.check_in?.accepted).toHaveLength(1);
      await store.clubs.save(
        CLUBS.map((c) => (c.id === 'north' ? { ...c, capacity: 1 } : c)),
        TEST_NOW,
      );
      const third = await checkIn([{ memberId: 'm_n1', deskId: 'later' }]);
      expect(third.results.check_in?.rejected?.[0]?.code).toBe('CAPACITY_REACHED');
    });

    it('admits exactly up to capacity within one batch and refuses the rest CAPACITY_REACHED', async () => {
      const { store, checkIn } = await chain();
      // Northside holds 5: three in first, then a batch of ten admits exactly two.
      const first = await checkIn(['m_n0', 'm_n1', 'm_n2'].map((memberId) => ({ memberId, deskId: 'n-1' })));
      expect(first.results.check_in?.accepted).toHaveLength(3);
      const batch = await checkIn(
        Array.from({ length: 10 }, (_, i) => ({ memberId: `m_n${3 + i}`, deskId: 'n-1' })),
      );
      expect(batch.results.check_in?.accepted).toEqual(
        ['m_n3', 'm_n4'].map((m) => expect.stringContaining(m)),
      );
      const refused = batch.results.check_in?.rejected ?? [];
      expect(refused).toHaveLength(8);
      expect(new Set(refused.map((r) => r.code))).toEqual(new Set(['CAPACITY_REACHED']));
      expect(refused[0]?.message).toMatch(/Northside is full \(5 of 5/);
      const counts = await store.clubs.occupancyByClub(TEST_NOW);
      expect(counts.find((c) => c.clubId === 'north')).toMatchObject({ current: 5, capacity: 5 });
      expect(counts.find((c) => c.clubId === 'main')).toMatchObject({ current: 0, capacity: 100 });
      expect(await store.clubs.occupancyOf('north', TEST_NOW)).toMatchObject({
        current: 5,
        capacity: 5,
        clubId: 'north',
      });
      expect(await store.clubs.occupancyOf('nowhere', TEST_NOW)).toBeUndefined();
    });

    it('lets a manager override a full club with a reason, not a desk role', async () => {
      const { store, checkIn } = await chain();
      await checkIn(
        ['m_n0', 'm_n1', 'm_n2', 'm_n3', 'm_n4'].map((memberId) => ({ memberId, deskId: 'n-1' })),
      );
      const desk = await checkIn(
        [{ memberId: 'm_n5', deskId: 'n-1', override: { reason: 'class booked' } }],
        'desk',
      );
      expect(desk.results.check_in?.rejected?.[0]?.code).toBe('FORBIDDEN');
      const manager = await checkIn(
        [{ memberId: 'm_n5', deskId: 'n-1', override: { reason: 'class booked' } }],
        'manager',
      );
      expect(manager.results.check_in?.accepted).toHaveLength(1);
      // the visit keeps who overrode the full club and why (the front desk's override path)
      const [visit] = await store.listVisits({ memberId: 'm_n5', limit: 1 });
      expect(visit).toMatchObject({ clubId: 'north', override: { reason: 'class booked', by: 'mia' } });
    });

    it('carries the club on visit events and each changed club on occupancy.changed', async () => {
      const { sink, consumer, checkIn } = await chain();
      await checkIn([
        { memberId: 'm_all', deskId: 'n-1' },
        { memberId: 'm_home', deskId: 'front' },
      ]);
      await consumer.drain();
      const events: ServerEvent[] = sink.all;
      const visits = events.filter((e) => e.name === 'check_in.created');
      expect(visits.map((e) => (e.data as { clubId?: string }).clubId).sort()).toEqual(['main', 'north']);
      const occupancy = events.filter((e) => e.name === 'occupancy.changed');
      expect(occupancy).toHaveLength(1);
      const clubs = (occupancy[0]!.data as { clubs?: { clubId: string; current: number }[] }).clubs ?? [];
      expect(clubs.map((c) => [c.clubId, c.current]).sort()).toEqual([
        ['main', 1],
        ['north', 1],
      ]);
    });

    it('seeds three clubs with a few weeks of history: every club visited, all visits closed but the open ones', async () => {
      const store = await open({ seedDemo: true, seedHistoryDays: 28 });
      expect((await store.clubs.list()).map((c) => c.id)).toEqual(DEMO_CLUBS.map((c) => c.id));
      const gym = buildDemoGym(TEST_NOW, 42, { historyDays: 28 });
      const stored = await store.listVisits({ limit: 1000, since: TEST_NOW - 28 * 86_400_000 });
      expect(stored.length).toBe(Math.min(1000, gym.visits.length));
      expect(new Set(stored.map((v) => v.clubId))).toEqual(new Set(['main', 'north', 'river']));
      expect((await store.listVisits({ open: true, limit: 100 })).length).toBe(
        gym.visits.filter((v) => v.checkedOutAt === null).length,
      );
      const byClub = await store.clubs.occupancyByClub(TEST_NOW);
      expect(byClub.reduce((n, c) => n + c.current, 0)).toBe((await store.occupancy(TEST_NOW)).current);
    });
  });
}
