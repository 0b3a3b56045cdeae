import { type Club, type ClubOccupancy, isTimeZone } from '@av-gym/protocol';
import type { Kysely } from 'kysely';
import { chunkRows, utcMidnight } from './records.js';
import { type Database, DEFAULT_CLUB_ID } from './schema.js';
import type { ClubContext, ClubCounts } from './write-store.js';

const IN_LIST_SIZE = 900;

/** The clubs in their order (`position`, then id); the first is the default club. */
export async function listClubs(db: Kysely<Database>): Promise<Club[]> {
  const rows = await db.selectFrom('clubs').selectAll().orderBy('position').orderBy('id').execute();
  return rows.map((r) => ({ id: r.id, name: r.name, capacity: Number(r.capacity), timeZone: r.time_zone }));
}

/** The id of the default club (the first); `main` when the table is empty (it never is after 0008). */
export function defaultClubId(clubs: readonly Club[]): string {
  return clubs[0]?.id ?? DEFAULT_CLUB_ID;
}

/**
 * Writes clubs (insert or update by id) in the order given: the first gets position 0. Throws a
 * RangeError on a time zone this runtime does not know or a capacity below 1.
 */
export async function saveClubs(db: Kysely<Database>, clubs: readonly Club[], now: number): Promise<void> {
  for (const club of clubs) {
    if (!isTimeZone(club.timeZone))
      throw new RangeError(`club ${club.id}: unknown time zone ${club.timeZone}`);
    if (!Number.isInteger(club.capacity) || club.capacity < 1)
      throw new RangeError(`club ${club.id}: capacity must be a whole number of 1 or more`);
  }
  if (clubs.length === 0) return;
  await db
    .insertInto('clubs')
    .values(
      clubs.map((c, position) => ({
        id: c.id,
        name: c.name,
        capacity: c.capacity,
        time_zone: c.timeZone,
        position,
        created_at: now,
      })),
    )
    .onConflict((oc) =>
      oc.column('id').doUpdateSet((eb) => ({
        name: eb.ref('excluded.name'),
        capacity: eb.ref('excluded.capacity'),
        time_zone: eb.ref('excluded.time_zone'),
        position: eb.ref('excluded.position'),
      })),
    )
    .execute();
}

/** The club each of these desks was set up for (desks never set up are absent). */
export async function deskClubs(
  db: Kysely<Database>,
  deskIds: readonly string[],
): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const part of chunkRows(deskIds, 1, IN_LIST_SIZE)) {
    const rows = await db.selectFrom('desks').select(['id', 'club_id']).where('id', 'in', part).execute();
    for (const r of rows) out.set(r.id, r.club_id);
  }
  return out;
}

/** Sets a desk's club (insert or update). */
export async function setDeskClub(
  db: Kysely<Database>,
  deskId: string,
  clubId: string,
  now: number,
): Promise<void> {
  await db
    .insertInto('desks')
    .values({ id: deskId, club_id: clubId, updated_at: now })
    .onConflict((oc) =>
      oc.column('id').doUpdateSet((eb) => ({
        club_id: eb.ref('excluded.club_id'),
        updated_at: eb.ref('excluded.updated_at'),
      })),
    )
    .execute();
}

/** Open visits per club (clubs with none are absent). */
export async function openCountsByClub(db: Kysely<Database>): Promise<Map<string, number>> {
  const rows = await db
    .selectFrom('visits')
    .select(['club_id', (eb) => eb.fn.countAll<number>().as('n')])
    .where('checked_out_at', 'is', null)
    .groupBy('club_id')
    .execute();
  return new Map(rows.map((r) => [r.club_id ?? DEFAULT_CLUB_ID, Number(r.n)]));
}

/**
 * Visits started since UTC midnight of `now`, per club; with `clubIds`, only those clubs (an
 * index-only count on `visits(club_id, checked_in_at)` each).
 */
export async function todayCountsByClub(
  db: Kysely<Database>,
  now: number,
  clubIds?: readonly string[],
): Promise<Map<string, number>> {
  let select = db
    .selectFrom('visits')
    .select(['club_id', (eb) => eb.fn.countAll<number>().as('n')])
    .where('checked_in_at', '>=', utcMidnight(now));
  if (clubIds) {
    if (clubIds.length === 0) return new Map();
    select = select.where('club_id', 'in', [...clubIds]);
  }
  const rows = await select.groupBy('club_id').execute();
  return new Map(rows.map((r) => [r.club_id ?? DEFAULT_CLUB_ID, Number(r.n)]));
}

/** Every club's occupancy now, in club order. */
export async function clubOccupancy(db: Kysely<Database>, now: number): Promise<ClubOccupancy[]> {
  const [clubs, open, today] = [
    await listClubs(db),
    await openCountsByClub(db),
    await todayCountsByClub(db, now),
  ];
  return clubs.map((c) => ({
    clubId: c.id,
    current: open.get(c.id) ?? 0,
    capacity: c.capacity,
    todayTotal: today.get(c.id) ?? 0,
  }));
}

/** {@link StoreTx.clubContext} for any dialect: three set-based reads. */
export async function clubContext(db: Kysely<Database>, deskIds: readonly string[]): Promise<ClubContext> {
  return {
    clubs: await listClubs(db),
    desks: await deskClubs(db, [...new Set(deskIds)]),
    openByClub: await openCountsByClub(db),
  };
}

/** {@link StoreTx.clubOccupancyCounts} for any dialect (the clubs and two grouped counts). */
export async function clubOccupancyCounts(
  db: Kysely<Database>,
  now: number,
  clubIds: readonly string[],
): Promise<Map<string, ClubCounts>> {
  if (clubIds.length === 0) return new Map();
  return countsOf(
    await listClubs(db),
    clubIds,
    await openCountsByClub(db),
    await todayCountsByClub(db, now, clubIds),
  );
}

/** Figures of these clubs (unknown ids are left out) from open and today's counts. */
export function countsOf(
  clubs: readonly Club[],
  clubIds: readonly string[],
  open: ReadonlyMap<string, number>,
  today: ReadonlyMap<string, number>,
): Map<string, ClubCounts> {
  const out = new Map<string, ClubCounts>();
  for (const club of clubs) {
    if (!clubIds.includes(club.id)) continue;
    out.set(club.id, {
      current: open.get(club.id) ?? 0,
      todayTotal: today.get(club.id) ?? 0,
      capacity: club.capacity,
    });
  }
  return out;
}
