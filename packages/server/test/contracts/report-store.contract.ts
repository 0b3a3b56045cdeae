import { afterEach, describe, expect, it } from 'vitest';
import { occupancySeries } from '../../src/forecast/forecast-service.js';
import { ReportsService } from '../../src/reports/reports-service.js';
import type { KyselyStore } from '../../src/store/kysely-store.js';
import type { VisitRecord } from '../../src/store/records.js';
import { member, type StoreHarnessFactory } from './store.contract.js';

/** "Now" of the report tests: Friday 2026-03-20 12:00 UTC (08:00 in New York, EDT). */
const NOW = Date.UTC(2026, 2, 20, 12, 0);
const MIN = 60_000;
const utc = (iso: string) => Date.parse(`${iso}Z`);

function visit(id: string, clubId: string, inIso: string, stayMin: number | null): VisitRecord {
  const checkedInAt = utc(inIso);
  return {
    id,
    memberId: 'm1',
    deskId: 'desk-1',
    checkedInAt,
    checkedOutAt: stayMin === null ? null : checkedInAt + stayMin * MIN,
    clubId,
  };
}

/**
 * The fixture, in New York time (UTC-5 until 2026-03-08 02:00, then UTC-4):
 * v1 Mon 03-02 07:30 (60 min, main), v2 Mon 03-02 07:50 (30 min, club b), v3 Mon 03-09 07:10
 * (after the DST switch, open, main), v5 Sun 03-15 23:00 (90 min, main); v4 is Sun 03-01 23:30 and
 * v6 Mon 03-16 01:00, just outside 03-02..03-15 in New York though inside it in UTC.
 */
const VISITS = [
  visit('v1', 'main', '2026-03-02T12:30:00', 60),
  visit('v2', 'b', '2026-03-02T12:50:00', 30),
  visit('v3', 'main', '2026-03-09T11:10:00', null),
  visit('v4', 'main', '2026-03-02T04:30:00', 10),
  visit('v5', 'main', '2026-03-16T03:00:00', 90),
  visit('v6', 'main', '2026-03-16T05:00:00', 10),
];

const MEMBERS = [
  member('m1', 1, {
    homeClubId: 'main',
    createdAt: utc('2026-01-10T15:00:00'),
    lastVisitAt: utc('2026-02-01T10:00:00'),
    expiresAt: '2026-04-19',
  }),
  // Created 2026-01-31 22:00 in New York: a January member there, February in UTC.
  member('m2', 2, {
    homeClubId: 'b',
    createdAt: utc('2026-02-01T03:00:00'),
    lastVisitAt: utc('2026-03-15T10:00:00'),
    expiresAt: '2026-03-20',
  }),
  member('m3', 3, { homeClubId: 'b', createdAt: utc('2025-06-01T10:00:00'), expiresAt: '2026-04-20' }),
  member('m4', 4, {
    homeClubId: 'main',
    status: 'frozen',
    createdAt: utc('2025-12-15T10:00:00'),
    expiresAt: '2026-03-25',
  }),
  member('m5', 5, { homeClubId: 'main', createdAt: utc('2026-03-10T10:00:00') }),
  member('m6', 6, {
    homeClubId: 'main',
    status: 'expired',
    createdAt: utc('2025-01-01T10:00:00'),
    lastVisitAt: utc('2026-02-09T10:00:00'),
    expiresAt: '2026-02-10',
  }),
];

const NY = { from: '2026-03-02', to: '2026-03-15', tz: 'America/New_York' };

/** The manager reports (`Store.reports` through `ReportsService`) on fixed fixtures with known answers, on SQLite and PostgreSQL. */
export function reportContract(name: string, factory: StoreHarnessFactory): void {
  describe(`${name} (report contract)`, () => {
    const cleanups: (() => Promise<void>)[] = [];
    let store: KyselyStore;
    const open = async (): Promise<ReportsService> => {
      const harness = await factory();
      const opened = await harness.open();
      store = opened;
      cleanups.push(async () => {
        await opened.close();
        await harness.cleanup();
      });
      await store.init({ seedDemo: false, now: NOW });
      await store.transaction(async (tx) => {
        await tx.insertMembers(MEMBERS);
        await tx.insertVisits(VISITS);
      });
      return new ReportsService(store.reports, () => NOW);
    };
    afterEach(async () => {
      for (const c of cleanups.splice(0)) await c();
    });

    it('counts visits by local hour of week across a DST switch, inside the local date range only', async () => {
      const reports = await open();
      const doc = await reports.one('visits-by-hour', NY);
      const cells = (doc.data as { cells: number[][] }).cells;
      expect(cells[0]?.[7]).toBe(3);
      expect(cells[6]?.[23]).toBe(1);
      expect(cells.flat().reduce((s, v) => s + v, 0)).toBe(4);
      expect(doc.timeZone).toBe('America/New_York');
    });

    it("filters visits by club, in the club's own time zone", async () => {
      const reports = await open();
      // The default club keeps UTC: v4 (04:30 UTC) falls inside 03-02..03-15 there, v5 (03-16 03:00 UTC) not.
      const main = await reports.one('visits-by-hour', { from: NY.from, to: NY.to, club: 'main' });
      expect(main.timeZone).toBe('UTC');
      const cells = (main.data as { cells: number[][] }).cells;
      expect(cells[0]?.[12]).toBe(1);
      expect(cells[0]?.[4]).toBe(1);
      expect(cells[0]?.[11]).toBe(1);
      expect(cells.flat().reduce((s, v) => s + v, 0)).toBe(3);
      const stay = await reports.report('average-stay', await reports.resolve({ ...NY, club: 'main' }));
      expect(stay).toEqual({ closedVisits: 2, averageStayMinutes: 35 });
    });

    it('lists every local day with its visits and the 7-day mean', async () => {
      const reports = await open();
      const all = await reports.all(NY);
      const days = all.visitsPerDay.days;
      expect(days).toHaveLength(14);
      expect(days.filter((d) => d.visits > 0).map((d) => [d.date, d.visits])).toEqual([
        ['2026-03-02', 2],
        ['2026-03-09', 1],
        ['2026-03-15', 1],
      ]);
      expect(days[0]?.movingAverage7).toBe(2);
      expect(days[6]?.movingAverage7).toBe(0.29);
      expect(days[7]?.movingAverage7).toBe(0.14);
      expect(all.averageStay).toEqual({ closedVisits: 3, averageStayMinutes: 60 });
    });

    it('names active members with no visit in 30 days, never-seen first, and counts them', async () => {
      const reports = await open();
      const all = await reports.all(NY);
      expect(all.membersAtRisk.count).toBe(2);
      expect(all.membersAtRisk.members.map((m) => m.id)).toEqual(['m3', 'm1']);
      expect(all.membersAtRisk.members[1]).toEqual({
        id: 'm1',
        membershipNumber: '500001',
        name: 'Member m1',
        lastVisitAt: utc('2026-02-01T10:00:00'),
        expiresAt: '2026-04-19',
      });
      const main = await reports.report('members-at-risk', await reports.resolve({ ...NY, club: 'main' }));
      expect(main.members.map((m) => m.id)).toEqual(['m1']);
    });

    it('names memberships expiring in the next 30 days, soonest first', async () => {
      const reports = await open();
      const expiring = await reports.report('expiring', await reports.resolve(NY));
      expect(expiring.count).toBe(3);
      expect(expiring.members.map((m) => [m.id, m.expiresAt])).toEqual([
        ['m2', '2026-03-20'],
        ['m4', '2026-03-25'],
        ['m1', '2026-04-19'],
      ]);
      const b = await store.reports.expiring({
        fromDate: '2026-03-20',
        toDate: '2026-04-19',
        club: 'b',
        limit: 10,
      });
      expect(b.members.map((m) => m.id)).toEqual(['m2']);
      const first = await store.reports.expiring({ fromDate: '2026-03-20', toDate: '2026-04-19', limit: 1 });
      expect(first).toMatchObject({ count: 3, members: [{ id: 'm2' }] });
    });

    it('counts new members per local month and memberships lapsed per month', async () => {
      const reports = await open();
      const doc = await reports.one('members-per-month', { from: '2025-12-01', to: '2026-03-31', tz: NY.tz });
      expect(doc.data).toEqual({
        months: [
          { month: '2025-12', joined: 1, lapsed: 0 },
          { month: '2026-01', joined: 2, lapsed: 0 },
          { month: '2026-02', joined: 0, lapsed: 1 },
          { month: '2026-03', joined: 1, lapsed: 0 },
        ],
      });
      const utcDoc = await reports.report(
        'members-per-month',
        await reports.resolve({ from: '2025-12-01', to: '2026-03-31' }),
      );
      expect(utcDoc.months.map((m) => m.joined)).toEqual([1, 1, 1, 1]);
    });

    it('gives the same visit figures from the rollup as from the visits (the sealed edge before, between and after the fixture)', async () => {
      const reports = await open();
      // The edge only moves forward: first all from the visits (edge 2026-01-24), then at NOW (edge
      // 2026-03-12: v1-v4 rolled up, v5 and v6 from the visits), then all rolled up (edge 2026-05-24).
      const live = await new ReportsService(store.reports, () => Date.UTC(2026, 1, 1)).all(NY);
      const mixed = await reports.all(NY);
      const sealed = await new ReportsService(store.reports, () => Date.UTC(2026, 5, 1)).all(NY);
      for (const doc of [mixed, sealed]) {
        expect(doc.visitsByHour).toEqual(live.visitsByHour);
        expect(doc.visitsPerDay).toEqual(live.visitsPerDay);
        expect(doc.averageStay).toEqual(live.averageStay);
      }
      expect(live.averageStay).toEqual({ closedVisits: 3, averageStayMinutes: 60 });
    });

    it('walks hourly occupancy back from the visits open at the end (the forecast series)', async () => {
      await open();
      // First from the visits (the edge before the fixture), then from the rollup (edge 2026-05-24).
      const early = Date.UTC(2026, 1, 1);
      const late = Date.UTC(2026, 5, 1);
      const live = await occupancySeries(store.reports, utc('2026-03-02T11:00:00'), 4, undefined, early);
      // 12:00: nobody; 13:00: v1 and v2 in; 14:00 and 15:00: both gone.
      expect(live).toEqual([0, 2, 0, 0]);
      const liveMain = await occupancySeries(store.reports, utc('2026-03-09T10:00:00'), 3, 'main', early);
      expect(await occupancySeries(store.reports, utc('2026-03-02T11:00:00'), 4, undefined, late)).toEqual(
        live,
      );
      expect(await occupancySeries(store.reports, utc('2026-03-09T10:00:00'), 3, 'main', late)).toEqual(
        liveMain,
      );
      const y = await occupancySeries(store.reports, utc('2026-03-02T11:00:00'), 4);
      expect(y).toEqual([0, 2, 0, 0]);
      expect(await store.reports.openAt(utc('2026-03-02T13:00:00'))).toBe(2);
      expect(await store.reports.openAt(utc('2026-03-02T13:00:00'), 'b')).toBe(1);
      // v3 never closed: open from 2026-03-09 on.
      expect(await occupancySeries(store.reports, utc('2026-03-09T10:00:00'), 3, 'main')).toEqual([0, 1, 1]);
    });

    it('counts in a zone half an hour off the hour (Asia/Kolkata) from the visits themselves', async () => {
      const reports = await open();
      const doc = await reports.one('visits-by-hour', { from: NY.from, to: NY.to, tz: 'Asia/Kolkata' });
      const cells = (doc.data as { cells: number[][] }).cells;
      // v4 04:30 UTC = 10:00, v3 11:10 = 16:40, v1 12:30 and v2 12:50 = 18:00 and 18:20 (Mondays).
      expect(cells[0]?.[10]).toBe(1);
      expect(cells[0]?.[16]).toBe(1);
      expect(cells[0]?.[18]).toBe(2);
      expect(cells.flat().reduce((s, v) => s + v, 0)).toBe(4);
    });

    it('refuses a club no club has', async () => {
      const reports = await open();
      await expect(reports.resolve({ ...NY, club: 'nowhere' })).rejects.toThrow(/no club has id nowhere/);
    });
  });
}
