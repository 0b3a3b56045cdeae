import { type Alert, HISTORY_RETENTION_MS, type HistorySeries } from '@av-gym/protocol';
import { type Kysely, sql } from 'kysely';
import type { DownsampleReport, HistoryRead, HistorySample, HistoryStore } from './history-store.js';

/** `history_samples`: one row per (resolution, metric, desk, node, bucket start). '' stands for none. */
export interface HistorySamplesTable {
  resolution_s: number;
  metric: string;
  desk: string;
  node: string;
  at: number;
  value: number;
}

export interface AlertLogTable {
  id: string;
  rule: string;
  subject: string;
  severity: string;
  state: string;
  summary: string;
  value: number;
  node: string;
  started_at: number;
  fired_at: number | null;
  resolved_at: number | null;
  updated_at: number;
}

export interface HistoryTables {
  history_samples: HistorySamplesTable;
  alert_log: AlertLogTable;
}

const RAW_MS = 10_000;
const MINUTE_MS = 60_000;
const HOUR_MS = 3_600_000;

/** The history on any Kysely dialect (the tables come from migration 0005_history). */
export class KyselyHistoryStore implements HistoryStore {
  readonly #db: Kysely<HistoryTables>;

  // biome-ignore lint/suspicious/noExplicitAny: the store's Kysely is typed with its own tables; these are added here
  constructor(db: Kysely<any>) {
    this.#db = db as Kysely<HistoryTables>;
  }

  async record(samples: readonly HistorySample[]): Promise<void> {
    const rows = samples
      .filter((s) => Number.isFinite(s.value) && Number.isFinite(s.at))
      .map((s) => ({
        resolution_s: 10,
        metric: s.metric,
        desk: s.desk ?? '',
        node: s.node ?? '',
        at: Math.floor(s.at / RAW_MS) * RAW_MS,
        value: s.value,
      }));
    // a few hundred parameters per statement at most: fine for SQLite and PostgreSQL alike
    for (let i = 0; i < rows.length; i += 100) {
      await this.#db
        .insertInto('history_samples')
        .values(rows.slice(i, i + 100))
        .onConflict((oc) => oc.columns(['resolution_s', 'metric', 'desk', 'node', 'at']).doNothing())
        .execute();
    }
  }

  async read(q: HistoryRead): Promise<HistorySeries[]> {
    const stepMs = q.stepS * 1000;
    // a validated whole number, inlined so the select and the group by are the same expression
    const bucket = sql<number>`(${sql.ref('at')} / ${sql.lit(stepMs)}) * ${sql.lit(stepMs)}`;
    let query = this.#db
      .selectFrom('history_samples')
      .select(['desk', 'node', bucket.as('t'), sql<number>`avg(${sql.ref('value')})`.as('v')])
      .where('resolution_s', '=', q.resolutionS)
      .where('metric', '=', q.metric)
      .where('at', '>=', q.from)
      .where('at', '<', q.to);
    if (q.desk !== undefined) query = query.where('desk', '=', q.desk);
    if (q.node !== undefined) query = query.where('node', '=', q.node);
    const rows = await query
      .groupBy(['desk', 'node', bucket])
      .orderBy('desk')
      .orderBy('node')
      .orderBy('t')
      .execute();
    const series = new Map<string, HistorySeries>();
    for (const r of rows) {
      const key = `${r.desk}\u0000${r.node}`;
      let s = series.get(key);
      if (!s) {
        if (series.size >= q.maxSeries) continue;
        s = { desk: r.desk === '' ? null : r.desk, node: r.node === '' ? null : r.node, points: [] };
        series.set(key, s);
      }
      s.points.push([Number(r.t), Number(r.v)]);
    }
    return [...series.values()];
  }

  async downsample(now: number): Promise<DownsampleReport> {
    const minuteTo = Math.floor(now / MINUTE_MS) * MINUTE_MS;
    const hourTo = Math.floor(now / HOUR_MS) * HOUR_MS;
    const minuteRows = await this.#fold(10, 60, minuteTo - 10 * MINUTE_MS, minuteTo);
    const hourRows = await this.#fold(60, 3_600, hourTo - 3 * HOUR_MS, hourTo);
    return { minuteRows, hourRows };
  }

  /** Averages the `fromRes` rows of `[from, to)` into `toRes` rows, in the database; recomputed rows are replaced. */
  async #fold(fromRes: number, toRes: number, from: number, to: number): Promise<number> {
    const stepMs = toRes * 1000;
    const result = await sql`
      insert into history_samples (resolution_s, metric, desk, node, at, value)
      select ${sql.lit(toRes)}, metric, desk, node, (at / ${sql.lit(stepMs)}) * ${sql.lit(stepMs)}, avg(value)
      from history_samples
      where resolution_s = ${fromRes} and at >= ${from} and at < ${to}
      group by metric, desk, node, (at / ${sql.lit(stepMs)}) * ${sql.lit(stepMs)}
      on conflict (resolution_s, metric, desk, node, at) do update set value = excluded.value
    `.execute(this.#db);
    return Number(result.numAffectedRows ?? 0);
  }

  async prune(now: number, limit: number): Promise<number> {
    let deleted = 0;
    for (const [res, keepMs] of Object.entries(HISTORY_RETENTION_MS)) {
      if (deleted >= limit) break;
      deleted += await this.#pruneResolution(Number(res), now - keepMs, limit - deleted);
    }
    return deleted;
  }

  /** Deletes the oldest rows of one resolution below `cutoff`: about `limit` (whole buckets, so a few more at most). */
  async #pruneResolution(res: number, cutoff: number, limit: number): Promise<number> {
    const nth = await this.#db
      .selectFrom('history_samples')
      .select('at')
      .where('resolution_s', '=', res)
      .where('at', '<', cutoff)
      .orderBy('at')
      .offset(limit - 1)
      .limit(1)
      .executeTakeFirst();
    const upTo = nth === undefined ? cutoff : Number(nth.at) + 1;
    const result = await this.#db
      .deleteFrom('history_samples')
      .where('resolution_s', '=', res)
      .where('at', '<', upTo)
      .executeTakeFirst();
    return Number(result.numDeletedRows ?? 0);
  }

  async nodes(since: number): Promise<{ node: string; lastSeenAt: number }[]> {
    const rows = await this.#db
      .selectFrom('history_samples')
      .select(['node', sql<number>`max(${sql.ref('at')})`.as('last')])
      .where('resolution_s', '=', 10)
      .where('at', '>=', since)
      .where('node', '!=', '')
      .groupBy('node')
      .orderBy('node')
      .limit(1_000)
      .execute();
    return rows.map((r) => ({ node: r.node, lastSeenAt: Number(r.last) }));
  }

  async saveAlert(a: Alert): Promise<void> {
    const row: AlertLogTable = {
      id: a.id,
      rule: a.rule,
      subject: a.subject,
      severity: a.severity,
      state: a.state,
      summary: a.summary,
      value: a.value,
      node: a.node,
      started_at: a.startedAt,
      fired_at: a.firedAt,
      resolved_at: a.resolvedAt,
      updated_at: a.updatedAt,
    };
    const { id: _id, ...changes } = row;
    await this.#db
      .insertInto('alert_log')
      .values(row)
      .onConflict((oc) => oc.column('id').doUpdateSet(changes))
      .execute();
  }

  async alerts(since: number, limit: number): Promise<Alert[]> {
    const rows = await this.#db
      .selectFrom('alert_log')
      .selectAll()
      .where((eb) => eb.or([eb('state', '!=', 'resolved'), eb('updated_at', '>=', since)]))
      .orderBy('updated_at', 'desc')
      .orderBy('id', 'desc')
      .limit(limit)
      .execute();
    return rows.map(alertFromRow);
  }

  async pruneAlerts(before: number, limit: number): Promise<number> {
    const doomed = await this.#db
      .selectFrom('alert_log')
      .select('id')
      .where('state', '=', 'resolved')
      .where('updated_at', '<', before)
      .limit(limit)
      .execute();
    if (doomed.length === 0) return 0;
    const result = await this.#db
      .deleteFrom('alert_log')
      .where(
        'id',
        'in',
        doomed.map((d) => d.id),
      )
      .executeTakeFirst();
    return Number(result.numDeletedRows ?? 0);
  }
}

const numOrNull = (v: number | null): number | null => (v === null ? null : Number(v));

function alertFromRow(r: AlertLogTable): Alert {
  return {
    id: r.id,
    rule: r.rule as Alert['rule'],
    subject: r.subject,
    severity: r.severity as Alert['severity'],
    state: r.state as Alert['state'],
    summary: r.summary,
    value: Number(r.value),
    node: r.node,
    startedAt: Number(r.started_at),
    firedAt: numOrNull(r.fired_at),
    resolvedAt: numOrNull(r.resolved_at),
    updatedAt: Number(r.updated_at),
  };
}
