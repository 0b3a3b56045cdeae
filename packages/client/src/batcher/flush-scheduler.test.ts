import { describe, expect, it } from 'vitest';
import { ManualClock } from '../testing/manual-clock.js';
import { AdaptiveInterval, FlushScheduler } from './flush-scheduler.js';

const options = {
  minIntervalMs: 25,
  maxIntervalMs: 150,
  initialIntervalMs: 100,
  targetBatchSize: 25,
  rateWindowMs: 1_000,
};

describe('AdaptiveInterval', () => {
  it('starts at 100 ms before any arrival', () => {
    expect(new AdaptiveInterval(options).currentMs(0)).toBe(100);
  });

  it('shortens to 25 ms at high rates', () => {
    const a = new AdaptiveInterval(options);
    for (let t = 0; t < 1_000; t++) a.recordArrival(t, 2);
    expect(a.ratePerSecond(999)).toBe(2_000);
    expect(a.currentMs(999)).toBe(25);
  });

  it('aims at 25 messages per window in between (250/s gives 100 ms)', () => {
    const a = new AdaptiveInterval(options);
    for (let t = 0; t < 1_000; t += 4) a.recordArrival(t);
    expect(a.currentMs(999)).toBe(100);
  });

  it('lengthens to 150 ms at low rates', () => {
    const a = new AdaptiveInterval(options);
    for (let t = 0; t < 1_000; t += 100) a.recordArrival(t);
    expect(a.currentMs(999)).toBe(150);
  });

  it('forgets arrivals older than the rate window', () => {
    const a = new AdaptiveInterval(options);
    for (let t = 0; t < 1_000; t++) a.recordArrival(t, 2);
    expect(a.currentMs(1_500)).toBe(31); // 800 arrivals left in the last second: 25 / 800 s
    expect(a.currentMs(2_100)).toBe(100);
  });
});

describe('FlushScheduler', () => {
  it('flushes once on a microtask however often it is asked', async () => {
    const clock = new ManualClock();
    let n = 0;
    const s = new FlushScheduler(clock, () => n++);
    s.now();
    s.now();
    expect(n).toBe(0);
    await Promise.resolve();
    expect(n).toBe(1);
  });

  it('keeps the earlier of two timers', async () => {
    const clock = new ManualClock();
    let n = 0;
    const s = new FlushScheduler(clock, () => n++);
    s.at(80);
    s.at(120);
    expect(s.timerDueMs).toBe(80);
    s.at(30);
    expect(s.timerDueMs).toBe(30);
    await clock.advance(30);
    expect(n).toBe(1);
    await clock.advance(200);
    expect(n).toBe(1);
  });

  it('does nothing after dispose', async () => {
    const clock = new ManualClock();
    let n = 0;
    const s = new FlushScheduler(clock, () => n++);
    s.at(10);
    s.now();
    s.dispose();
    await clock.advance(20);
    expect(n).toBe(0);
    expect(clock.pendingTimers).toBe(0);
  });
});
