import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DATABASE_FILE } from '../src/create-server.js';
import { MAX_DESKS } from '../src/store/club-store.js';
import { api, memberCreate, newId, startServer, TestClient, type TestServer, until } from './helpers.js';

/** Issue 17: per-club topics and the club HTTP routes, through a real server and real WebSockets. */
describe('club topics', () => {
  let t: TestServer;
  const clients: TestClient[] = [];
  const connect = async (topics: string[]) => {
    const c = new TestClient(t.wsUrl);
    clients.push(c);
    await c.hello({ topics });
    return c;
  };
  let seq = 0;
  const write = async (c: TestClient, batches: Record<string, unknown[]>) => {
    const s = ++seq;
    c.send({ type: 'batch', seq: s, batches });
    return c.next((f) => f.type === 'ack' && f.seq === s);
  };
  const names = (c: TestClient) =>
    c.events().map((e) => {
      const data = e.data as { memberId?: string; clubId?: string; clubs?: { clubId: string }[] };
      return `${e.name} ${data.memberId ?? data.clubs?.map((x) => x.clubId).join('+') ?? ''}`;
    });

  beforeAll(async () => {
    // the demo chain's three clubs, without history
    t = await startServer({ seedDemo: true });
  });
  afterAll(async () => {
    for (const c of clients) await c.close();
    await t.stop();
  });

  it('lists the clubs, sets a desk up at one and refuses an unknown club', async () => {
    const clubs = await api<{ clubs: { id: string }[]; defaultClubId: string }>(t.url, '/api/clubs');
    expect(clubs.body.clubs.map((c) => c.id)).toEqual(['main', 'north', 'river']);
    expect(clubs.body.defaultClubId).toBe('main');
    expect((await api(t.url, '/api/desks/n-1', { method: 'PUT', body: { clubId: 'north' } })).body).toEqual({
      deskId: 'n-1',
      clubId: 'north',
      configured: true,
    });
    const unknown = await api(t.url, '/api/desks/n-1', { method: 'PUT', body: { clubId: 'moon' } });
    expect(unknown.status).toBe(404);
    expect(unknown.body).toMatchObject({ error: 'CLUB_NOT_FOUND' });
    expect((await api(t.url, '/api/desks/n-1', { method: 'PUT', body: { clubId: 'Bad Id!' } })).status).toBe(
      400,
    );
    expect((await api(t.url, '/api/desks/never')).body).toMatchObject({ clubId: 'main', configured: false });
    expect((await api(t.url, '/api/occupancy?clubId=nowhere')).status).toBe(404);
  });

  it('keeps at most MAX_DESKS desks: a new desk past it is 409 DESK_LIMIT, one set up already still moves', async () => {
    // fill the table up to the bound from a second connection to the same SQLite file
    const side = new BetterSqlite3(path.join(t.dataDir, DATABASE_FILE));
    try {
      const have = (side.prepare('SELECT count(*) AS n FROM desks').get() as { n: number }).n;
      const insert = side.prepare('INSERT INTO desks (id, club_id, updated_at) VALUES (?, ?, ?)');
      side.transaction(() => {
        for (let i = have; i < MAX_DESKS; i++) insert.run(`filler-${i}`, 'main', 0);
      })();
    } finally {
      side.close();
    }
    const refused = await api(t.url, '/api/desks/one-too-many', { method: 'PUT', body: { clubId: 'north' } });
    expect(refused.status).toBe(409);
    expect(refused.body).toMatchObject({ error: 'DESK_LIMIT' });
    expect((await api(t.url, '/api/desks/one-too-many')).body).toMatchObject({ configured: false });
    const moved = await api(t.url, '/api/desks/filler-7', { method: 'PUT', body: { clubId: 'river' } });
    expect(moved.body).toEqual({ deskId: 'filler-7', clubId: 'river', configured: true });
    const after = new BetterSqlite3(path.join(t.dataDir, DATABASE_FILE), { readonly: true });
    try {
      expect((after.prepare('SELECT count(*) AS n FROM desks').get() as { n: number }).n).toBe(MAX_DESKS);
    } finally {
      after.close();
    }
  });

  it("sends each club's events to its topics and every club's to <topic>:*", async () => {
    await api(t.url, '/api/desks/n-1', { method: 'PUT', body: { clubId: 'north' } });
    const inNorth = async () =>
      (
        await api<{ clubs: { clubId: string; current: number }[] }>(t.url, '/api/clubs/occupancy')
      ).body.clubs.find((c) => c.clubId === 'north')?.current ?? -1;
    const before = await inNorth();
    const writer = await connect([]);
    const north = await connect(['check_ins:north']);
    const river = await connect(['check_ins:river', 'occupancy:river']);
    const head = await connect(['check_ins:*', 'occupancy:*']);
    const chain = await connect(['occupancy']);
    const northOccupancy = await connect(['occupancy:north']);
    await write(writer, { member_create: [memberCreate('m_ct1'), memberCreate('m_ct2')] });
    await write(writer, {
      check_in: [
        { id: newId(), data: { memberId: 'm_ct1', deskId: 'n-1' } },
        { id: newId(), data: { memberId: 'm_ct2', deskId: 'front' } },
      ],
    });
    await until(() => head.events().length >= 3 && north.events().length >= 1 && chain.events().length >= 1);
    await until(() => northOccupancy.events().length >= 1);
    expect(names(north)).toEqual(['check_in.created m_ct1']);
    expect(names(head).sort()).toEqual([
      'check_in.created m_ct1',
      'check_in.created m_ct2',
      'occupancy.changed main+north',
    ]);
    expect(names(chain)).toEqual(['occupancy.changed main+north']);
    expect(names(northOccupancy)).toEqual(['occupancy.changed main+north']);
    const occupancy = chain.events()[0]?.data as {
      current: number;
      clubs: { clubId: string; current: number; capacity: number }[];
    };
    expect(occupancy.clubs.find((c) => c.clubId === 'north')).toMatchObject({
      current: before + 1,
      capacity: 80,
    });
    // nothing happened at Riverside
    expect(river.events()).toEqual([]);
    expect(await inNorth()).toBe(before + 1);
    const one = await api<{ current: number; clubId: string }>(t.url, '/api/occupancy?clubId=north');
    expect(one.body).toMatchObject({ current: before + 1, clubId: 'north', capacity: 80 });
  });

  it('refuses a malformed per-club name and more than 32 names, changing nothing', async () => {
    const c = await connect(['check_ins:north']);
    c.send({ type: 'subscribe', topics: ['check_ins:North!'] });
    await c.next((f) => f.type === 'error' && f.code === 'BAD_FRAME');
    const many = Array.from({ length: 16 }, (_, i) => `check_ins:club-${i}`);
    c.send({ type: 'subscribe', topics: many });
    c.send({ type: 'subscribe', topics: many.map((n) => n.replace('check_ins', 'occupancy')) });
    const refused = await c.next(
      (f) => f.type === 'error' && String((f as { message?: string }).message).includes('at most 32 topics'),
    );
    expect(refused.code).toBe('BAD_FRAME');
    // still subscribed to Northside's visits
    const writer = await connect([]);
    await write(writer, { member_create: [memberCreate('m_ct3')] });
    await write(writer, { check_in: [{ id: newId(), data: { memberId: 'm_ct3', deskId: 'n-1' } }] });
    await until(() => c.events().some((e) => (e.data as { memberId?: string }).memberId === 'm_ct3'));
  });
});
