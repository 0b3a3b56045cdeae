import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openTempStore, TEST_NOW, type TempStore } from '../../test/support/temp-sqlite-store.js';
import { Housekeeper } from './housekeeping.js';

const DAY_MS = 86_400_000;

/** Timers fire only when the test says so. */
function manualClock() {
  const timers = new Map<number, { fn: () => void; delayMs: number }>();
  let next = 0;
  return {
    now: () => TEST_NOW,
    setTimeout(fn: () => void, delayMs: number) {
      timers.set(++next, { fn, delayMs });
      return next;
    },
    clearTimeout(handle: unknown) {
      timers.delete(handle as number);
    },
    timers,
    fire() {
      const [id, timer] = [...timers][0] ?? [];
      if (id === undefined || timer === undefined) throw new Error('no timer pending');
      timers.delete(id);
      timer.fn();
      return timer.delayMs;
    },
  };
}

const settle = async (until: () => boolean) => {
  for (let i = 0; i < 200 && !until(); i++) await new Promise((r) => setTimeout(r, 5));
};

describe('Housekeeper', () => {
  let t: TempStore;
  beforeEach(async () => {
    t = await openTempStore();
  });
  afterEach(async () => {
    await t.cleanup();
  });

  it('runs a pass at start and then every interval, with the retention window taken from now', async () => {
    await t.store.transaction((tx) =>
      tx.recordProcessed(
        [{ id: 'old', type: 'check_in', outcome: { status: 'accepted' } }],
        TEST_NOW - 3 * DAY_MS,
      ),
    );
    const clock = manualClock();
    const h = new Housekeeper({
      maintenance: t.store.maintenance,
      logger: pino({ level: 'silent' }),
      clock,
      intervalMs: 60_000,
      retention: { processedRetentionMs: 2 * DAY_MS },
    });
    h.start();
    expect(clock.fire()).toBe(0);
    await settle(() => clock.timers.size > 0);
    const figures = await h.figures();
    expect(figures.deletedTotal.processed_messages).toBe(1);
    expect(figures.rows?.processed_messages).toBe(0);
    expect(figures.passes).toEqual({ ok: 1, failed: 0 });
    expect([...clock.timers.values()].map((x) => x.delayMs)).toEqual([60_000]);
    await h.stop();
    expect(clock.timers.size).toBe(0);
  });

  it('stops between chunks and leaves the rest for the next pass', async () => {
    const rows = Array.from({ length: 30 }, (_, i) => ({
      id: `r${i}`,
      type: 'check_in',
      outcome: { status: 'accepted' as const },
    }));
    await t.store.transaction((tx) => tx.recordProcessed(rows, TEST_NOW - 30 * DAY_MS));
    const h = new Housekeeper({
      maintenance: t.store.maintenance,
      logger: pino({ level: 'silent' }),
      clock: manualClock(),
      chunkRows: 2,
      maxChunksPerPass: 5,
    });
    expect((await h.runOnce()).deleted.processed_messages).toBe(10);
    const pass = h.runOnce();
    await h.stop();
    expect((await pass).deleted.processed_messages).toBeLessThanOrEqual(2);
    expect((await t.store.maintenance.rowCounts()).processed_messages).toBeGreaterThanOrEqual(18);
  });

  it('counts a failed pass and keeps the figures of the last good one', async () => {
    const h = new Housekeeper({
      maintenance: t.store.maintenance,
      logger: pino({ level: 'silent' }),
      clock: manualClock(),
    });
    await h.runOnce();
    await t.cleanup(); // the store is gone: the next pass fails
    await expect(h.runOnce()).rejects.toThrow();
    const figures = await h.figures();
    expect(figures.passes).toEqual({ ok: 1, failed: 1 });
    expect(figures.rows?.members).toBe(0);
    t = await openTempStore();
  });
});
