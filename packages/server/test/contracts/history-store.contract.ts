import type { Alert } from '@av-gym/protocol';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import type { HistoryStore } from '../../src/history/history-store.js';
import { Housekeeper } from '../../src/store/housekeeping.js';
import type { KyselyStore } from '../../src/store/kysely-store.js';
import type { StoreHarnessFactory } from './store.contract.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
/** A whole hour, so minute and hour buckets start where the test expects. */
const T0 = Date.UTC(2026, 10, 2, 9, 0, 0);

function alert(id: string, state: Alert['state'], updatedAt: number): Alert {
  return {
    id,
    rule: 'desk_offline',
    subject: 'desk-1',
    severity: 'critical',
    state,
    summary: 'Desk desk-1 offline for 2 min',
    value: 120_000,
    node: 'node-a',
    startedAt: updatedAt - 1_000,
    firedAt: state === 'pending' ? null : updatedAt,
    resolvedAt: state === 'resolved' ? updatedAt : null,
    updatedAt,
  };
}

/** The history every store keeps (`Store.history`), run against SQLite and PostgreSQL. */
export function historyContract(name: string, factory: StoreHarnessFactory): void {
  describe(`${name} (history contract)`, () => {
    const cleanups: (() => Promise<void>)[] = [];
    const open = async (): Promise<HistoryStore> => {
      const harness = await factory();
      const store: KyselyStore = await harness.open();
      cleanups.push(async () => {
        await store.close();
        await harness.cleanup();
      });
      await store.init({ seedDemo: false, now: T0 });
      return store.history;
    };
    afterEach(async () => {
      for (const c of cleanups.splice(0)) await c();
    });

    it('keeps samples at 10 s, one per desk and bucket (the first node wins), and reads them back per series', async () => {
      const h = await open();
      await h.record([
        { metric: 'desk_quality', desk: 'd1', node: null, at: T0 + 3_000, value: 90 },
        { metric: 'desk_quality', desk: 'd1', node: null, at: T0 + 7_000, value: 10 }, // same bucket: ignored
        { metric: 'desk_quality', desk: 'd1', node: null, at: T0 + 12_000, value: 80 },
        { metric: 'desk_quality', desk: 'd2', node: null, at: T0 + 12_000, value: 40 },
        { metric: 'ack_p99_ms', desk: null, node: 'node-a', at: T0 + 12_000, value: 7 },
      ]);
      const all = await h.read({
        metric: 'desk_quality',
        from: T0,
        to: T0 + 60_000,
        resolutionS: 10,
        stepS: 10,
        maxSeries: 10,
      });
      expect(all).toEqual([
        {
          desk: 'd1',
          node: null,
          points: [
            [T0, 90],
            [T0 + 10_000, 80],
          ],
        },
        { desk: 'd2', node: null, points: [[T0 + 10_000, 40]] },
      ]);
      const one = await h.read({
        metric: 'desk_quality',
        desk: 'd2',
        from: T0,
        to: T0 + 60_000,
        resolutionS: 10,
        stepS: 10,
        maxSeries: 10,
      });
      expect(one.map((s) => s.desk)).toEqual(['d2']);
      const wide = await h.read({
        metric: 'desk_quality',
        desk: 'd1',
        from: T0,
        to: T0 + 60_000,
        resolutionS: 10,
        stepS: 60,
        maxSeries: 10,
      });
      expect(wide[0]?.points).toEqual([[T0, 85]]);
      const capped = await h.read({
        metric: 'desk_quality',
        from: T0,
        to: T0 + 60_000,
        resolutionS: 10,
        stepS: 10,
        maxSeries: 1,
      });
      expect(capped).toHaveLength(1);
    });

    it('folds 10 s rows into 1 min and 1 h means in the database, again and again without doubling', async () => {
      const h = await open();
      const samples = Array.from({ length: 6 * 60 * 2 }, (_, i) => ({
        metric: 'messages_per_sec',
        desk: null,
        node: 'node-a',
        at: T0 + i * 10_000, // two hours of samples: value = the minute index
        value: Math.floor(i / 6),
      }));
      await h.record(samples);
      const now = T0 + 2 * HOUR + 30_000;
      const first = await h.downsample(now);
      expect(first.minuteRows).toBe(10); // the last 10 complete minutes
      await h.downsample(now); // recomputed, replaced
      const minutes = await h.read({
        metric: 'messages_per_sec',
        from: T0,
        to: now,
        resolutionS: 60,
        stepS: 60,
        maxSeries: 10,
      });
      expect(minutes[0]?.points).toEqual(
        Array.from({ length: 10 }, (_, k) => [T0 + (110 + k) * 60_000, 110 + k]),
      );
      // the hour rows come from the minute rows: fill every minute of the first hour first
      for (let m = 0; m < 120; m += 10) await h.downsample(T0 + (m + 10) * 60_000 + 1);
      const hours = await h.read({
        metric: 'messages_per_sec',
        from: T0,
        to: now,
        resolutionS: 3_600,
        stepS: 3_600,
        maxSeries: 10,
      });
      expect(hours[0]?.points).toEqual([
        [T0, 29.5],
        [T0 + HOUR, 89.5],
      ]);
    });

    it('keeps 24 h of 10 s rows, 7 days of 1 min rows and 90 days of 1 h rows, deleting in bounded steps', async () => {
      const h = await open();
      const now = T0 + 100 * DAY;
      await h.record([
        { metric: 'connections', desk: null, node: 'n', at: now - DAY - 20_000, value: 1 },
        { metric: 'connections', desk: null, node: 'n', at: now - DAY - 10_000, value: 1 },
        { metric: 'connections', desk: null, node: 'n', at: now - DAY + 10_000, value: 2 },
      ]);
      const read10 = async () =>
        (
          await h.read({ metric: 'connections', from: 0, to: now, resolutionS: 10, stepS: 10, maxSeries: 5 })
        )[0]?.points.length ?? 0;
      expect(await read10()).toBe(3);
      expect(await h.prune(now, 1)).toBe(1);
      expect(await read10()).toBe(2);
      expect(await h.prune(now, 100)).toBe(1);
      expect(await read10()).toBe(1);
      expect(await h.prune(now, 100)).toBe(0);
    });

    it('is downsampled and pruned by each housekeeping pass', async () => {
      const harness = await factory();
      const store: KyselyStore = await harness.open();
      cleanups.push(async () => {
        await store.close();
        await harness.cleanup();
      });
      await store.init({ seedDemo: false, now: T0 });
      const now = T0 + 2 * DAY;
      await store.history.record([
        { metric: 'connections', desk: null, node: 'n', at: T0, value: 1 }, // past 24 h: pruned
        { metric: 'connections', desk: null, node: 'n', at: now - 90_000, value: 4 },
        { metric: 'connections', desk: null, node: 'n', at: now - 80_000, value: 6 },
      ]);
      const clock = { now: () => now, setTimeout: () => 0, clearTimeout: () => {} };
      const housekeeper = new Housekeeper({
        maintenance: store.maintenance,
        history: store.history,
        logger: pino({ level: 'silent' }),
        clock,
      });
      const report = await housekeeper.runOnce(now);
      expect(report.deleted.history_samples).toBe(1);
      const minutes = await store.history.read({
        metric: 'connections',
        from: 0,
        to: now,
        resolutionS: 60,
        stepS: 60,
        maxSeries: 5,
      });
      expect(minutes[0]?.points).toEqual([[Math.floor((now - 90_000) / 60_000) * 60_000, 5]]);
    });

    it('lists the nodes that sampled since a time', async () => {
      const h = await open();
      await h.record([
        { metric: 'connections', desk: null, node: 'node-b', at: T0 + 20_000, value: 1 },
        { metric: 'connections', desk: null, node: 'node-a', at: T0 + 40_000, value: 1 },
        { metric: 'connections', desk: null, node: 'node-c', at: T0 - 60_000, value: 1 },
        { metric: 'desk_quality', desk: 'd1', node: null, at: T0 + 40_000, value: 1 },
      ]);
      expect(await h.nodes(T0)).toEqual([
        { node: 'node-a', lastSeenAt: T0 + 40_000 },
        { node: 'node-b', lastSeenAt: T0 + 20_000 },
      ]);
    });

    it('keeps alerts by id through their states, lists open ones and recent ones, and prunes old resolved ones', async () => {
      const h = await open();
      await h.saveAlert(alert('a1', 'pending', T0));
      await h.saveAlert(alert('a1', 'firing', T0 + 1_000));
      await h.saveAlert(alert('a2', 'resolved', T0 - 2 * DAY));
      await h.saveAlert(alert('a3', 'resolved', T0 + 2_000));
      expect((await h.alerts(T0 - DAY, 10)).map((a) => [a.id, a.state])).toEqual([
        ['a3', 'resolved'],
        ['a1', 'firing'],
      ]);
      expect(await h.alerts(T0 + 5_000, 10)).toEqual([alert('a1', 'firing', T0 + 1_000)]);
      expect(await h.pruneAlerts(T0 - DAY, 10)).toBe(1);
      expect((await h.alerts(0, 10)).map((a) => a.id)).toEqual(['a3', 'a1']);
    });
  });
}
