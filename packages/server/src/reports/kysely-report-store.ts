import type { ReportMember } from '@av-gym/protocol';
import { type Kysely, sql } from 'kysely';
import {
  type BucketCount,
  type ClubInfo,
  REPORT_BUCKET_MS,
  type ReportRange,
  type ReportStore,
  type VisitBucket,
} from './report-store.js';

/** The columns reports read (migrations 0001 and 0008_clubs); typed here so the reports stand alone. */
export interface ReportTables {
  visits: {
    id: string;
    member_id: string;
    club_id: string;
    checked_in_at: number;
    checked_out_at: number | null;
  };
  members: {
    id: string;
    membership_number: string;
    name: string;
    status: string;
    expires_at: string;
    created_at: number;
    last_visit_at: number | null;
    home_club_id: string;
  };
  clubs: { id: string; time_zone: string };
  /** Migration 0009_report_indexes: visits per club (and `*`) and hour of check-in, for the days before the sealed edge. */
  report_visit_hours: RollupRow;
  meta: { key: string; value: number };
}

const DAY_MS = 86_400_000;
/**
 * Days this far behind the clock are sealed into `report_visit_hours` by default: longer than the
 * client time window (a check-in may carry a time up to 7 days old), so no new visit lands in one.
 * A server with a longer CLIENT_TIME_MAX_PAST_MS passes its own (`ReportRange.sealLagMs`).
 */
export const REPORT_SEAL_LAG_MS = 8 * DAY_MS;
/** The meta key holding the sealed edge (epoch ms, a UTC midnight): buckets before it are rolled up. */
export const REPORT_ROLLUP_KEY = 'report_rollup_to';
const INSERT_ROWS = 2_000;
/** The rollup's rows for the whole chain (no club id has a `*`): a chain report reads as few rows as a club's. */
export const CHAIN_ROLLUP_ID = '*';

const n = (v: unknown): number => Number(v ?? 0);

const HOUR_MS = 3_600_000;

interface RollupRow {
  club_id: string;
  hour: number;
  visits: number;
  closed: number;
  stay_ms: number;
  /** Visits checked out in this hour (whenever they started): the forecast's occupancy series. */
  check_outs: number;
}

function bucketOf(column: string, sizeMs = REPORT_BUCKET_MS) {
  // A validated constant, inlined so the select and the group by are the same expression.
  return sql<number>`${sql.ref(column)} / ${sql.lit(sizeMs)}`;
}

function memberRow(r: {
  id: string;
  membership_number: string;
  name: string;
  last_visit_at: number | string | null;
  expires_at: string;
}): ReportMember {
  return {
    id: r.id,
    membershipNumber: r.membership_number,
    name: r.name,
    lastVisitAt: r.last_visit_at === null ? null : Number(r.last_visit_at),
    expiresAt: r.expires_at,
  };
}

/** The report reads on any Kysely dialect: the same SQL on SQLite and PostgreSQL. */
export class KyselyReportStore implements ReportStore {
  readonly #db: Kysely<ReportTables>;

  // biome-ignore lint/suspicious/noExplicitAny: the store's Kysely is typed with its own tables
  constructor(db: Kysely<any>) {
    this.#db = db as Kysely<ReportTables>;
  }

  async club(id: string): Promise<ClubInfo | undefined> {
    const row = await this.#db
      .selectFrom('clubs')
      .select(['id', 'time_zone'])
      .where('id', '=', id)
      .executeTakeFirst();
    return row ? { id: row.id, timeZone: row.time_zone } : undefined;
  }

  /**
   * Rolls the visits of every day older than {@link REPORT_SEAL_LAG_MS} into `report_visit_hours`
   * (per club and for the chain; once: the edge moves a day at a time) and returns the edge. Nodes
   * that race write the same rows.
   */
  async #sealedEdge(now: number, lagMs = REPORT_SEAL_LAG_MS): Promise<number> {
    const target = Math.floor((now - lagMs) / DAY_MS) * DAY_MS;
    const row = await this.#db
      .selectFrom('meta')
      .select('value')
      .where('key', '=', REPORT_ROLLUP_KEY)
      .executeTakeFirst();
    const done = row ? Number(row.value) : 0;
    if (done >= target) return done;
    await this.#db.transaction().execute(async (trx) => {
      const hour = bucketOf('checked_in_at', HOUR_MS);
      const rows = await trx
        .selectFrom('visits')
        .select([
          'club_id',
          hour.as('h'),
          sql<number>`count(*)`.as('visits'),
          sql<number>`count(${sql.ref('checked_out_at')})`.as('closed'),
          sql<number>`sum(${sql.ref('checked_out_at')} - ${sql.ref('checked_in_at')})`.as('stay'),
        ])
        .where('checked_in_at', '>=', done)
        .where('checked_in_at', '<', target)
        .groupBy(['club_id', hour])
        .execute();
      const outHour = bucketOf('checked_out_at', HOUR_MS);
      const outs = await trx
        .selectFrom('visits')
        .select(['club_id', outHour.as('h'), sql<number>`count(*)`.as('c')])
        .where('checked_out_at', 'is not', null)
        .where('checked_out_at', '>=', done)
        .where('checked_out_at', '<', target)
        .groupBy(['club_id', outHour])
        .execute();
      const byKey = new Map<string, RollupRow>();
      const row = (clubId: string, h: number): RollupRow => {
        const key = `${clubId} ${h}`;
        let r = byKey.get(key);
        if (!r) {
          r = { club_id: clubId, hour: h, visits: 0, closed: 0, stay_ms: 0, check_outs: 0 };
          byKey.set(key, r);
        }
        return r;
      };
      for (const r of rows) {
        for (const clubId of [r.club_id, CHAIN_ROLLUP_ID]) {
          const v = row(clubId, n(r.h));
          v.visits += n(r.visits);
          v.closed += n(r.closed);
          v.stay_ms += n(r.stay);
        }
      }
      for (const r of outs) {
        for (const clubId of [r.club_id, CHAIN_ROLLUP_ID]) row(clubId, n(r.h)).check_outs += n(r.c);
      }
      const values = [...byKey.values()];
      for (let i = 0; i < values.length; i += INSERT_ROWS) {
        await trx
          .insertInto('report_visit_hours')
          .values(values.slice(i, i + INSERT_ROWS))
          .onConflict((oc) =>
            oc.columns(['club_id', 'hour']).doUpdateSet((eb) => ({
              visits: eb.ref('excluded.visits'),
              closed: eb.ref('excluded.closed'),
              stay_ms: eb.ref('excluded.stay_ms'),
              check_outs: eb.ref('excluded.check_outs'),
            })),
          )
          .execute();
      }
      await trx
        .insertInto('meta')
        .values({ key: REPORT_ROLLUP_KEY, value: target })
        .onConflict((oc) => oc.column('key').doUpdateSet({ value: target }))
        .execute();
    });
    return target;
  }

  /**
   * Sealed days from the hourly rollup (each hour as the bucket of its first quarter), the rest
   * from the visits. A zone whose offset is not whole hours (`hourAligned` false) reads the visits
   * throughout: an hour of UTC is not one local hour there.
   */
  async visitBuckets(range: ReportRange): Promise<VisitBucket[]> {
    const edge =
      range.hourAligned === false ? 0 : await this.#sealedEdge(range.now ?? Date.now(), range.sealLagMs);
    const out: VisitBucket[] = [];
    if (range.fromMs < edge) {
      const rows = await this.#db
        .selectFrom('report_visit_hours')
        .select(['hour', 'visits', 'closed', 'stay_ms'])
        .where('club_id', '=', range.club ?? CHAIN_ROLLUP_ID)
        .where('hour', '>=', Math.floor(range.fromMs / HOUR_MS))
        .where('hour', '<', Math.ceil(Math.min(range.toMs, edge) / HOUR_MS))
        .orderBy('hour')
        .execute();
      const perHour = HOUR_MS / REPORT_BUCKET_MS;
      for (const r of rows)
        out.push({
          bucket: n(r.hour) * perHour,
          visits: n(r.visits),
          closed: n(r.closed),
          stayMsSum: n(r.stay_ms),
        });
    }
    if (range.toMs > edge)
      out.push(...(await this.#liveBuckets({ ...range, fromMs: Math.max(range.fromMs, edge) })));
    return out;
  }

  async #liveBuckets(range: ReportRange): Promise<VisitBucket[]> {
    const bucket = bucketOf('checked_in_at');
    let q = this.#db
      .selectFrom('visits')
      .select([
        bucket.as('b'),
        sql<number>`count(*)`.as('visits'),
        sql<number>`count(${sql.ref('checked_out_at')})`.as('closed'),
        sql<number>`sum(${sql.ref('checked_out_at')} - ${sql.ref('checked_in_at')})`.as('stay'),
      ])
      .where('checked_in_at', '>=', range.fromMs)
      .where('checked_in_at', '<', range.toMs);
    if (range.club !== undefined) q = q.where('club_id', '=', range.club);
    const rows = await q.groupBy(bucket).orderBy('b').execute();
    return rows.map((r) => ({
      bucket: n(r.b),
      visits: n(r.visits),
      closed: n(r.closed),
      stayMsSum: n(r.stay),
    }));
  }

  /** Sealed days from the rollup's check-outs, the rest from the visits (as {@link visitBuckets}). */
  async checkOutBuckets(range: ReportRange): Promise<BucketCount[]> {
    const edge =
      range.hourAligned === false ? 0 : await this.#sealedEdge(range.now ?? Date.now(), range.sealLagMs);
    const out: BucketCount[] = [];
    if (range.fromMs < edge) {
      const rows = await this.#db
        .selectFrom('report_visit_hours')
        .select(['hour', 'check_outs'])
        .where('club_id', '=', range.club ?? CHAIN_ROLLUP_ID)
        .where('hour', '>=', Math.floor(range.fromMs / HOUR_MS))
        .where('hour', '<', Math.ceil(Math.min(range.toMs, edge) / HOUR_MS))
        .where('check_outs', '>', 0)
        .orderBy('hour')
        .execute();
      const perHour = HOUR_MS / REPORT_BUCKET_MS;
      for (const r of rows) out.push({ bucket: n(r.hour) * perHour, count: n(r.check_outs) });
    }
    if (range.toMs <= edge) return out;
    // Grouped by club and filtered here: a club condition in SQL would tempt the planner into the
    // club's check-in index (all its visits) instead of the check-out range.
    const bucket = bucketOf('checked_out_at');
    const rows = await this.#db
      .selectFrom('visits')
      .select(['club_id', bucket.as('b'), sql<number>`count(*)`.as('c')])
      .where('checked_out_at', 'is not', null)
      .where('checked_out_at', '>=', Math.max(range.fromMs, edge))
      .where('checked_out_at', '<', range.toMs)
      .groupBy(['club_id', bucket])
      .execute();
    const live = new Map<number, number>();
    for (const r of rows)
      if (range.club === undefined || r.club_id === range.club)
        live.set(n(r.b), (live.get(n(r.b)) ?? 0) + n(r.c));
    for (const [b, count] of [...live].sort((x, y) => x[0] - y[0])) out.push({ bucket: b, count });
    return out;
  }

  /**
   * Visits open at `at`: those still open, and those closed at or after `at`, each read through its
   * own partial index (open visits; closed ones by check-out time) and filtered here, so neither
   * scans the visits by check-in time. Both are few when `at` is recent, as the forecast asks.
   */
  async openAt(at: number, club?: string): Promise<number> {
    const [open, closedLater] = await Promise.all([
      this.#db
        .selectFrom('visits')
        .select(['club_id', 'checked_in_at'])
        .where('checked_out_at', 'is', null)
        .execute(),
      this.#db
        .selectFrom('visits')
        .select(['club_id', 'checked_in_at'])
        .where('checked_out_at', 'is not', null)
        .where('checked_out_at', '>=', at)
        .execute(),
    ]);
    let count = 0;
    for (const v of [...open, ...closedLater])
      if (Number(v.checked_in_at) < at && (club === undefined || v.club_id === club)) count += 1;
    return count;
  }

  async joinedBuckets(range: ReportRange): Promise<BucketCount[]> {
    const bucket = bucketOf('created_at');
    let q = this.#db
      .selectFrom('members')
      .select([bucket.as('b'), sql<number>`count(*)`.as('c')])
      .where('created_at', '>=', range.fromMs)
      .where('created_at', '<', range.toMs);
    if (range.club !== undefined) q = q.where('home_club_id', '=', range.club);
    const rows = await q.groupBy(bucket).orderBy('b').execute();
    return rows.map((r) => ({ bucket: n(r.b), count: n(r.c) }));
  }

  async expiriesByMonth(q: {
    fromDate: string;
    toDate: string;
    club?: string;
  }): Promise<{ month: string; count: number }[]> {
    const month = sql<string>`substr(${sql.ref('expires_at')}, 1, 7)`;
    let s = this.#db
      .selectFrom('members')
      .select([month.as('m'), sql<number>`count(*)`.as('c')])
      .where('expires_at', '>=', q.fromDate)
      .where('expires_at', '<=', q.toDate);
    if (q.club !== undefined) s = s.where('home_club_id', '=', q.club);
    const rows = await s.groupBy(month).orderBy('m').execute();
    return rows.map((r) => ({ month: r.m, count: n(r.c) }));
  }

  async membersAtRisk(q: { since: number; club?: string; limit: number }): Promise<{
    count: number;
    members: ReportMember[];
  }> {
    let base = this.#db
      .selectFrom('members')
      .where('status', '=', 'active')
      .where('created_at', '<', q.since)
      .where((eb) => eb.or([eb('last_visit_at', 'is', null), eb('last_visit_at', '<', q.since)]));
    if (q.club !== undefined) base = base.where('home_club_id', '=', q.club);
    const count = await base.select(sql<number>`count(*)`.as('c')).executeTakeFirstOrThrow();
    const rows = await base
      .select(['id', 'membership_number', 'name', 'last_visit_at', 'expires_at'])
      // Never-seen members first, then the longest absent; id keeps the order total.
      .orderBy(sql`coalesce(${sql.ref('last_visit_at')}, 0)`)
      .orderBy('id')
      .limit(q.limit)
      .execute();
    return { count: n(count.c), members: rows.map(memberRow) };
  }

  async expiring(q: { fromDate: string; toDate: string; club?: string; limit: number }): Promise<{
    count: number;
    members: ReportMember[];
  }> {
    let base = this.#db
      .selectFrom('members')
      .where('status', '!=', 'expired')
      .where('expires_at', '>=', q.fromDate)
      .where('expires_at', '<=', q.toDate);
    if (q.club !== undefined) base = base.where('home_club_id', '=', q.club);
    const count = await base.select(sql<number>`count(*)`.as('c')).executeTakeFirstOrThrow();
    const rows = await base
      .select(['id', 'membership_number', 'name', 'last_visit_at', 'expires_at'])
      .orderBy('expires_at')
      .orderBy('id')
      .limit(q.limit)
      .execute();
    return { count: n(count.c), members: rows.map(memberRow) };
  }
}
