import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { createBatchConsumer } from '../../src/consumer/batch-consumer.js';
import { DEMO_MEMBER_COUNT } from '../../src/store/demo-seed.js';
import type { KyselyStore } from '../../src/store/kysely-store.js';
import type { MemberRecord, VisitRecord } from '../../src/store/records.js';
import { RecordingSink } from '../support/recording-sink.js';
import { TEST_NOW } from '../support/temp-sqlite-store.js';

/**
 * One empty database for one test: `open` may be called several times (several nodes on it).
 * It may hand back the same store each time where one process cannot hold two handles.
 */
export interface StoreHarness {
  open(): Promise<KyselyStore>;
  cleanup(): Promise<void>;
}

export type StoreHarnessFactory = () => Promise<StoreHarness>;

const silent = pino({ level: 'silent' });

/** A member row for store tests: active, basic plan, expires 2027-12-31. */
export function member(id: string, n: number, extra: Partial<MemberRecord> = {}): MemberRecord {
  return {
    id,
    membershipNumber: String(500_000 + n),
    name: `Member ${id}`,
    email: `${id}@example.test`,
    phone: null,
    plan: 'basic',
    status: 'active',
    expiresAt: '2027-12-31',
    notes: '',
    version: 1,
    lastVisitAt: null,
    dateOfBirth: null,
    balanceDueCents: 0,
    waiverSignedAt: null,
    alertNote: '',
    homeClubId: 'main',
    accessRule: 'all',
    createdAt: TEST_NOW,
    updatedAt: TEST_NOW,
    ...extra,
  };
}

function visit(id: string, memberId: string, checkedInAt: number, checkedOutAt: number | null): VisitRecord {
  return { id, memberId, deskId: 'desk-1', checkedInAt, checkedOutAt };
}

/**
 * The behaviour every store keeps, run against SQLite and PostgreSQL:
 * `storeContract('SQLite', async () => ({ open: ..., cleanup: ... }))`.
 */
export function storeContract(name: string, factory: StoreHarnessFactory): void {
  describe(`${name} (store contract)`, () => {
    const cleanups: (() => Promise<void>)[] = [];
    const database = async () => {
      const harness = await factory();
      const opened = new Set<KyselyStore>();
      cleanups.push(async () => {
        for (const s of opened) await s.close();
        await harness.cleanup();
      });
      return {
        open: async (seedDemo = false) => {
          const store = await harness.open();
          opened.add(store);
          await store.init({ seedDemo, now: TEST_NOW });
          return store;
        },
      };
    };
    afterEach(async () => {
      for (const c of cleanups.splice(0)) await c();
    });

    it('migrates and seeds the demo gym once when two nodes start together', async () => {
      const db = await database();
      const [a, b] = await Promise.all([db.open(true), db.open(true)]);
      const members = await a.searchMembers({ limit: 10_000 });
      expect(members).toHaveLength(DEMO_MEMBER_COUNT);
      expect(await b.searchMembers({ limit: 10_000 })).toHaveLength(DEMO_MEMBER_COUNT);
      const c = await db.open(true);
      expect(await c.searchMembers({ limit: 10_000 })).toHaveLength(DEMO_MEMBER_COUNT);
      expect(await c.ping()).toBe(true);
    });

    it('stays empty without seeding and starts the event seq at 0', async () => {
      const store = await (await database()).open(false);
      expect(await store.searchMembers({ limit: 10 })).toEqual([]);
      expect(await store.lastEventSeq()).toBe(0);
    });

    it('writes many members in multi-row statements and reads them back', async () => {
      const store = await (await database()).open();
      const rows = Array.from({ length: 1500 }, (_, i) => member(`m_${i}`, i));
      await store.transaction((tx) => tx.insertMembers(rows));
      const found = await store.transaction((tx) => tx.membersById(['m_0', 'm_1499', 'nope']));
      expect([...found.keys()].sort()).toEqual(['m_0', 'm_1499']);
      expect(found.get('m_1499')).toEqual(rows[1499]);
      await store.transaction((tx) => tx.saveMembers([{ ...rows[0]!, name: 'Ada Lovelace', version: 2 }]));
      expect(await store.getMember('m_0')).toMatchObject({ name: 'Ada Lovelace', version: 2 });
      const taken = await store.transaction((tx) => tx.takenMembershipNumbers(['500000', '999999']));
      expect([...taken]).toEqual(['500000']);
    });

    it('keeps the check-in alert fields of members and the override of a visit (migration 0007)', async () => {
      const store = await (await database()).open();
      const alerted = member('m_alert', 7, {
        dateOfBirth: '1990-02-28',
        balanceDueCents: 4250,
        waiverSignedAt: '2026-01-05',
        alertNote: 'ask about the locker key',
      });
      await store.transaction((tx) => tx.insertMembers([alerted, member('m_plain', 8)]));
      expect(await store.getMember('m_alert')).toMatchObject({
        dateOfBirth: '1990-02-28',
        balanceDueCents: 4250,
        waiverSignedAt: '2026-01-05',
        alertNote: 'ask about the locker key',
      });
      expect(await store.getMember('m_plain')).toMatchObject({
        dateOfBirth: null,
        balanceDueCents: 0,
        waiverSignedAt: null,
        alertNote: '',
      });
      await store.transaction((tx) =>
        tx.saveMembers([{ ...alerted, balanceDueCents: 0, waiverSignedAt: null, alertNote: '', version: 2 }]),
      );
      const [saved] = [...(await store.transaction((tx) => tx.membersById(['m_alert']))).values()];
      expect(saved).toMatchObject({
        balanceDueCents: 0,
        waiverSignedAt: null,
        alertNote: '',
        dateOfBirth: '1990-02-28',
      });
      const overridden: VisitRecord = {
        ...visit('v_over', 'm_alert', TEST_NOW - 60_000, null),
        override: { reason: 'paid in cash', by: 'maria' },
      };
      await store.transaction((tx) =>
        tx.insertVisits([overridden, visit('v_plain', 'm_plain', TEST_NOW, null)]),
      );
      const visits = await store.listVisits({ limit: 10 });
      expect(visits.find((v) => v.id === 'v_over')).toMatchObject({
        override: { reason: 'paid in cash', by: 'maria' },
      });
      expect(visits.find((v) => v.id === 'v_plain')).not.toHaveProperty('override');
    });

    it('finds members by name, email and membership number, escaping LIKE wildcards', async () => {
      const store = await (await database()).open();
      await store.transaction((tx) =>
        tx.insertMembers([
          member('m_a', 1, { name: 'Ada 100% Fit' }),
          member('m_b', 2, { name: 'Bob Burns' }),
          member('m_c', 3, { name: 'Cy', status: 'frozen' }),
        ]),
      );
      expect((await store.searchMembers({ q: '100%', limit: 10 })).map((m) => m.id)).toEqual(['m_a']);
      expect((await store.searchMembers({ q: '%', limit: 10 })).map((m) => m.id)).toEqual(['m_a']);
      expect((await store.searchMembers({ q: 'm_b@example', limit: 10 })).map((m) => m.id)).toEqual(['m_b']);
      expect((await store.searchMembers({ q: '500003', limit: 10 })).map((m) => m.id)).toEqual(['m_c']);
      expect((await store.searchMembers({ status: 'frozen', limit: 10 })).map((m) => m.id)).toEqual(['m_c']);
    });

    it('opens, lists and closes visits and counts occupancy', async () => {
      const store = await (await database()).open();
      await store.transaction(async (tx) => {
        await tx.insertMembers([member('m_a', 1), member('m_b', 2)]);
        await tx.insertVisits([
          visit('v_1', 'm_a', TEST_NOW - 3_600_000, null),
          visit('v_2', 'm_b', TEST_NOW - 1_800_000, null),
        ]);
        await tx.setLastVisits([
          { memberId: 'm_a', at: TEST_NOW - 3_600_000 },
          { memberId: 'm_b', at: TEST_NOW - 1_800_000 },
        ]);
      });
      expect((await store.getMember('m_a'))?.lastVisitAt).toBe(TEST_NOW - 3_600_000);
      const open = await store.transaction((tx) => tx.openVisits(['m_a', 'm_b']));
      expect(open.get('m_a')?.id).toBe('v_1');
      await store.transaction((tx) => tx.saveVisits([{ ...open.get('m_a')!, checkedOutAt: TEST_NOW }]));
      expect(await store.occupancy(TEST_NOW)).toMatchObject({
        current: 1,
        todayTotal: 2,
        averageStayMinutes: 60,
      });
      const visits = await store.listVisits({ limit: 10 });
      expect(visits.map((v) => [v.id, v.memberName, v.checkedOutAt])).toEqual([
        ['v_2', 'Member m_b', null],
        ['v_1', 'Member m_a', TEST_NOW],
      ]);
      expect((await store.listVisits({ open: true, limit: 10 })).map((v) => v.id)).toEqual(['v_2']);
    });

    it('refuses a second open visit for one member', async () => {
      const store = await (await database()).open();
      await store.transaction((tx) => tx.insertMembers([member('m_a', 1)]));
      await store.transaction((tx) => tx.insertVisits([visit('v_1', 'm_a', TEST_NOW, null)]));
      await expect(
        store.transaction((tx) => tx.insertVisits([visit('v_2', 'm_a', TEST_NOW, null)])),
      ).rejects.toThrow();
      expect(await store.listVisits({ limit: 10 })).toHaveLength(1);
    });

    it('rolls back a failed transaction and only the failed savepoint inside one', async () => {
      const store = await (await database()).open();
      await expect(
        store.transaction(async (tx) => {
          await tx.insertMembers([member('m_a', 1)]);
          throw new Error('boom');
        }),
      ).rejects.toThrow('boom');
      expect(await store.getMember('m_a')).toBeUndefined();
      await store.transaction(async (tx) => {
        await tx.insertMembers([member('m_a', 1)]);
        await expect(tx.savepoint(() => tx.insertMembers([member('m_a', 2)]))).rejects.toThrow();
        await tx.savepoint(() => tx.insertMembers([member('m_b', 3)]));
      });
      expect((await store.searchMembers({ limit: 10 })).map((m) => m.id)).toEqual(['m_a', 'm_b']);
    });

    it('hands out event seqs without gaps or repeats across nodes, and forgets rolled-back ones', async () => {
      const db = await database();
      const [a, b] = [await db.open(), await db.open()];
      await expect(
        a.transaction(async (tx) => {
          await tx.reserveEventSeqs(5);
          throw new Error('rolled back');
        }),
      ).rejects.toThrow();
      const firsts = await Promise.all(
        Array.from({ length: 20 }, (_, i) => (i % 2 ? a : b).transaction((tx) => tx.reserveEventSeqs(3))),
      );
      const seqs = firsts.flatMap((f) => [f, f + 1, f + 2]).sort((x, y) => x - y);
      expect(seqs).toEqual(Array.from({ length: 60 }, (_, i) => i + 1));
      expect(await b.lastEventSeq()).toBe(60);
      const numbers = await a.transaction((tx) => tx.nextMembershipNumbers(2));
      const more = await b.transaction((tx) => tx.nextMembershipNumbers(1));
      expect([...numbers, ...more].map(Number)).toEqual([100_001, 100_002, 100_003]);
    });

    it('keeps one idempotency record per message id', async () => {
      const store = await (await database()).open();
      await store.transaction((tx) =>
        tx.recordProcessed(
          [
            { id: 'a', type: 'check_in', outcome: { status: 'accepted', info: { visitId: 'v_1' } } },
            {
              id: 'b',
              type: 'check_in',
              outcome: { status: 'rejected', code: 'MEMBER_NOT_FOUND', message: 'x' },
            },
          ],
          TEST_NOW,
        ),
      );
      const found = await store.transaction((tx) => tx.findProcessed(['a', 'b', 'c']));
      expect(found.get('a')?.outcome).toEqual({ status: 'accepted', info: { visitId: 'v_1' } });
      expect(found.get('b')?.outcome).toMatchObject({ code: 'MEMBER_NOT_FOUND' });
      expect(found.has('c')).toBe(false);
      await expect(
        store.transaction((tx) =>
          tx.recordProcessed([{ id: 'a', type: 'check_in', outcome: { status: 'accepted' } }], TEST_NOW),
        ),
      ).rejects.toThrow();
    });

    it('applies a message id sent to two nodes at once exactly once', async () => {
      const db = await database();
      const [a, b] = [await db.open(), await db.open()];
      await a.transaction((tx) => tx.insertMembers([member('m_a', 1)]));
      const sinks = [new RecordingSink(), new RecordingSink()];
      const consumers = [a, b].map((store, i) =>
        createBatchConsumer({ store, sink: sinks[i]!, logger: silent, groupCommitWindowMs: 0 }),
      );
      for (let round = 0; round < 5; round++) {
        const item = { id: `in-${round}`, data: { memberId: 'm_a', at: TEST_NOW + round } };
        const out = { id: `out-${round}`, data: { memberId: 'm_a', at: TEST_NOW + round } };
        const ins = await Promise.all(
          consumers.map((c) => c.handleBatch({ clientId: 'desk', batches: { check_in: [item] } })),
        );
        const accepted = ins.flatMap((r) => r.results.check_in?.accepted ?? []);
        const duplicates = ins.flatMap((r) => r.results.check_in?.duplicates ?? []);
        expect(accepted).toEqual([item.id]);
        expect(duplicates).toEqual([item.id]);
        await Promise.all(
          consumers.map((c) => c.handleBatch({ clientId: 'desk', batches: { check_out: [out] } })),
        );
      }
      await Promise.all(consumers.map((c) => c.drain()));
      expect(await a.listVisits({ limit: 100 })).toHaveLength(5);
      expect(await a.listVisits({ open: true, limit: 100 })).toHaveLength(0);
      const seqs = sinks.flatMap((s) => s.all.map((e) => e.seq)).sort((x, y) => x - y);
      // 5 check-ins + 5 check-outs, each with an occupancy event: 20 events, seqs 1..20.
      expect(seqs).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    });

    it('upserts desk stats and keeps staff accounts and sessions', async () => {
      const store = await (await database()).open();
      await store.transaction((tx) =>
        tx.upsertClientStats([{ clientId: 'desk-1', receivedAt: 1, stats: { rttMs: 5 } }]),
      );
      await store.transaction((tx) =>
        tx.upsertClientStats([{ clientId: 'desk-1', receivedAt: 2, stats: { rttMs: 7 } }]),
      );
      expect(await store.listClientStats()).toEqual([
        { clientId: 'desk-1', receivedAt: 2, stats: { rttMs: 7 } },
      ]);
      const staff = { username: 'ada', passwordHash: 'scrypt$1$00$00', createdAt: TEST_NOW };
      expect(await store.ensureStaff(staff)).toBe(true);
      expect(await store.ensureStaff({ ...staff, passwordHash: 'other' })).toBe(false);
      expect(await store.getStaff('ada')).toEqual({ ...staff, role: 'desk', displayName: '' });
      const session = {
        tokenHash: 't'.repeat(64),
        username: 'ada',
        createdAt: TEST_NOW,
        expiresAt: TEST_NOW + 1,
      };
      await store.createSession(session);
      expect(await store.getSession(session.tokenHash)).toEqual({ ...session, role: 'desk' });
      await store.deleteSession(session.tokenHash);
      expect(await store.getSession(session.tokenHash)).toBeUndefined();
    });

    it('disables a staff account: its sessions end and are returned, other accounts keep theirs', async () => {
      const store = await (await database()).open();
      for (const username of ['ada', 'bob']) {
        await store.ensureStaff({ username, passwordHash: 'scrypt$1$00$00', createdAt: TEST_NOW });
      }
      const session = (tokenHash: string, username: string) => ({
        tokenHash,
        username,
        createdAt: TEST_NOW,
        expiresAt: TEST_NOW + 60_000,
      });
      await store.createSession(session('a'.repeat(64), 'ada'));
      await store.createSession(session('b'.repeat(64), 'ada'));
      await store.createSession(session('c'.repeat(64), 'bob'));
      const ended = await store.disableStaff('ada', TEST_NOW + 5);
      expect([...(ended ?? [])].sort()).toEqual(['a'.repeat(64), 'b'.repeat(64)]);
      expect(await store.getStaff('ada')).toMatchObject({ username: 'ada', disabledAt: TEST_NOW + 5 });
      expect(await store.getSession('a'.repeat(64))).toBeUndefined();
      expect(await store.getSession('c'.repeat(64))).toEqual({
        ...session('c'.repeat(64), 'bob'),
        role: 'desk',
      });
      // A session created after the account was disabled (a login racing the disable) is never valid.
      await store.createSession(session('d'.repeat(64), 'ada'));
      expect(await store.getSession('d'.repeat(64))).toBeUndefined();
      expect(await store.disableStaff('nobody', TEST_NOW)).toBeUndefined();
    });

    it('resets a password: the new hash, the account active again, its sessions ended and returned', async () => {
      const store = await (await database()).open();
      await store.ensureStaff({ username: 'cy', passwordHash: 'scrypt$1$00$00', createdAt: TEST_NOW });
      await store.ensureStaff({ username: 'al', passwordHash: 'scrypt$1$aa$aa', createdAt: TEST_NOW });
      const session = {
        tokenHash: 'e'.repeat(64),
        username: 'cy',
        createdAt: TEST_NOW,
        expiresAt: TEST_NOW + 60_000,
      };
      await store.createSession(session);
      await store.disableStaff('cy', TEST_NOW + 1);
      await store.createSession({ ...session, tokenHash: 'f'.repeat(64) });
      const ended = await store.setStaffPassword('cy', 'scrypt$1$11$11');
      expect(ended).toEqual(['f'.repeat(64)]);
      const cy = await store.getStaff('cy');
      expect(cy).toEqual({
        username: 'cy',
        passwordHash: 'scrypt$1$11$11',
        createdAt: TEST_NOW,
        role: 'desk',
        displayName: '',
      });
      expect(await store.getSession('f'.repeat(64))).toBeUndefined();
      expect(await store.setStaffPassword('nobody', 'scrypt$1$11$11')).toBeUndefined();
      expect((await store.listStaff()).map((s) => s.username)).toEqual(['al', 'cy']);
      expect((await store.getStaff('al'))?.passwordHash).toBe('scrypt$1$aa$aa');
    });

    it('logs the events of each commit, reads them back by seq, and keeps none of a rollback', async () => {
      const store = await (await database()).open();
      const sink = new RecordingSink();
      const consumer = createBatchConsumer({ store, sink, logger: silent });
      await consumer.handleBatch({
        clientId: 'desk',
        batches: {
          member_create: [
            {
              id: 'mc-1',
              data: { memberId: 'm_log', name: 'Log', plan: 'standard', expiresAt: '2099-12-31' },
            },
          ],
        },
      });
      await consumer.handleBatch({
        clientId: 'desk',
        batches: { check_in: [{ id: 'in-1', data: { memberId: 'm_log' } }] },
      });
      await consumer.drain();
      const published = sink.all;
      expect(published.map((e) => e.seq)).toEqual([1, 2, 3]);
      const withoutAt = (events: readonly { at?: number }[]) => events.map(({ at: _at, ...rest }) => rest);
      const logged = await store.eventsBetween(1, 3);
      expect(withoutAt(logged)).toEqual(withoutAt(published));
      expect(logged.every((e) => typeof e.at === 'number')).toBe(true);
      expect((await store.eventsBetween(2, 2)).map((e) => e.name)).toEqual(['check_in.created']);
      expect(await store.eventsBetween(4, 10)).toEqual([]);
      // what a restarted node loads for resume: the same events, in order
      expect(withoutAt(await store.recentEvents(TEST_NOW))).toEqual(withoutAt(published));

      const event = { ...published[0]!, seq: 4 };
      await expect(
        store.transaction(async (tx) => {
          await tx.recordEvents([event], TEST_NOW);
          throw new Error('rolled back');
        }),
      ).rejects.toThrow('rolled back');
      expect(await store.eventsBetween(4, 4)).toEqual([]);
    });

    it('bounds the event log: by count as it is written, by age in the housekeeping sweep', async () => {
      const store = await (await database()).open();
      const { maxEvents, maxAgeMs } = store.eventLog;
      const event = (seq: number) => ({
        type: 'event' as const,
        seq,
        topic: 'occupancy' as const,
        name: 'occupancy.changed' as const,
        data: { current: seq % 100, capacity: 120, todayTotal: seq },
      });
      const old = Array.from({ length: 1_500 }, (_, i) => event(i + 1));
      const young = Array.from({ length: maxEvents + 500 }, (_, i) => event(i + 1_501));
      await store.transaction((tx) => tx.recordEvents(old, TEST_NOW - maxAgeMs - 1));
      await store.transaction((tx) => tx.recordEvents(young, TEST_NOW));
      const newest = 1_500 + maxEvents + 500;
      // the count trim ran in the second transaction: the newest maxEvents stay, and no more
      const kept = await store.eventsBetween(1, newest);
      expect(kept.map((e) => e.seq)).toEqual(
        Array.from({ length: maxEvents }, (_, i) => newest - maxEvents + 1 + i),
      );
      // the newest run inside the window, oldest first
      const recent = await store.recentEvents(TEST_NOW);
      expect(recent).toHaveLength(maxEvents);
      expect(recent[0]?.seq).toBe(newest - maxEvents + 1);
      expect(recent.at(-1)?.seq).toBe(newest);

      // Age: a log written long ago (count within bounds) leaves with the sweep, none of the young.
      const aged = await (await database()).open();
      await aged.transaction((tx) => tx.recordEvents(old, TEST_NOW - maxAgeMs - 1));
      await aged.transaction((tx) => tx.recordEvents([event(1_501), event(1_502)], TEST_NOW));
      expect(await aged.recentEvents(TEST_NOW)).toHaveLength(2);
      expect(await aged.maintenance.trimEvents(TEST_NOW, 1_000)).toBe(1_000);
      expect(await aged.maintenance.trimEvents(TEST_NOW, 1_000)).toBe(500);
      expect(await aged.maintenance.trimEvents(TEST_NOW, 1_000)).toBe(0);
      expect((await aged.eventsBetween(1, 2_000)).map((e) => e.seq)).toEqual([1_501, 1_502]);
    });
  });
}
