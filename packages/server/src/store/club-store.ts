import type { Club, ClubOccupancy, DeskInfo, Occupancy } from '@av-gym/protocol';
import type { Kysely } from 'kysely';
import {
  clubOccupancy,
  defaultClubId,
  deskClubs,
  listClubs,
  openCountsByClub,
  saveClubs,
  setDeskClub,
  todayCountsByClub,
} from './club-queries.js';
import { utcMidnight } from './records.js';
import type { Database } from './schema.js';

/** Clubs of the chain, desks' clubs and per-club figures (issue 17): the same on every store. */
export interface ClubStore {
  /** Every club in order; the first is the default club. */
  list(): Promise<Club[]>;
  /** Inserts or updates clubs by id, in this order (RangeError on an unknown time zone or capacity < 1). */
  save(clubs: readonly Club[], now: number): Promise<void>;
  /** The desk's club: the one it was set up for, else the default club. */
  deskClub(deskId: string): Promise<DeskInfo>;
  /**
   * Sets the desk's club; undefined (nothing written) when no club has this id. A desk not set up
   * yet, once {@link MAX_DESKS} desks are, throws {@link DeskLimitError} (nothing written).
   */
  setDeskClub(deskId: string, clubId: string, now: number): Promise<DeskInfo | undefined>;
  /** Every club's open visits, capacity and visits started today (UTC), in club order. */
  occupancyByClub(now: number): Promise<ClubOccupancy[]>;
  /** One club's occupancy figures with its average stay today; undefined for an unknown club. */
  occupancyOf(clubId: string, now: number): Promise<Occupancy | undefined>;
}

/**
 * Desks set up at most: any signed-in staff may set a desk up under any name, so the table has a
 * bound (a chain's desks fit many times over); a desk set up already can always be moved.
 */
export const MAX_DESKS = 10_000;

/** A new desk past {@link MAX_DESKS}. */
export class DeskLimitError extends Error {
  constructor(readonly max: number) {
    super(`${max} desks are set up already, the most the server keeps; set up one of them instead`);
    this.name = 'DeskLimitError';
  }
}

/** {@link ClubStore} over any Kysely dialect. */
export class KyselyClubStore implements ClubStore {
  /** @param onChange runs after a club or a desk was written (a dialect's cache forgets them). */
  constructor(
    private readonly db: Kysely<Database>,
    private readonly onChange: () => void = () => {},
  ) {}

  list(): Promise<Club[]> {
    return listClubs(this.db);
  }

  async save(clubs: readonly Club[], now: number): Promise<void> {
    await saveClubs(this.db, clubs, now);
    this.onChange();
  }

  async deskClub(deskId: string): Promise<DeskInfo> {
    const set = (await deskClubs(this.db, [deskId])).get(deskId);
    if (set !== undefined) return { deskId, clubId: set, configured: true };
    return { deskId, clubId: defaultClubId(await this.list()), configured: false };
  }

  async setDeskClub(deskId: string, clubId: string, now: number): Promise<DeskInfo | undefined> {
    const clubs = await this.list();
    if (!clubs.some((c) => c.id === clubId)) return undefined;
    if (!(await deskClubs(this.db, [deskId])).has(deskId)) {
      const row = await this.db
        .selectFrom('desks')
        .select((eb) => eb.fn.countAll<number | string>().as('n'))
        .executeTakeFirstOrThrow();
      if (Number(row.n) >= MAX_DESKS) throw new DeskLimitError(MAX_DESKS);
    }
    await setDeskClub(this.db, deskId, clubId, now);
    this.onChange();
    return { deskId, clubId, configured: true };
  }

  occupancyByClub(now: number): Promise<ClubOccupancy[]> {
    return clubOccupancy(this.db, now);
  }

  async occupancyOf(clubId: string, now: number): Promise<Occupancy | undefined> {
    const club = (await this.list()).find((c) => c.id === clubId);
    if (!club) return undefined;
    const open = await openCountsByClub(this.db);
    const today = await todayCountsByClub(this.db, now);
    const stay = await this.db
      .selectFrom('visits')
      .select((eb) =>
        eb.fn.avg<number | null>(eb('checked_out_at', '-', eb.ref('checked_in_at'))).as('avg_ms'),
      )
      .where('club_id', '=', clubId)
      .where('checked_in_at', '>=', utcMidnight(now) - 86_400_000)
      .where('checked_out_at', 'is not', null)
      .where('checked_out_at', '>=', utcMidnight(now))
      .executeTakeFirstOrThrow();
    const avgMs = stay.avg_ms === null ? 0 : Number(stay.avg_ms);
    return {
      current: open.get(clubId) ?? 0,
      capacity: club.capacity,
      todayTotal: today.get(clubId) ?? 0,
      averageStayMinutes: Math.round(avgMs / 6_000) / 10,
      clubId,
    };
  }
}
