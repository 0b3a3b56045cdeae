import { describe, expect, it } from 'vitest';
import { ManualClock } from '../testing/manual-clock.js';
import { Heartbeat } from './heartbeat.js';

function setup() {
  const clock = new ManualClock();
  const pings: number[] = [];
  const rtts: number[] = [];
  let dead = 0;
  const hb = new Heartbeat({
    clock,
    intervalMs: 5_000,
    maxMissedPongs: 2,
    sendPing: (ts) => pings.push(ts),
    onRtt: (ms) => rtts.push(ms),
    onDead: () => dead++,
  });
  return { clock, hb, pings, rtts, dead: () => dead };
}

describe('Heartbeat', () => {
  it('pings at start and every 5 s', async () => {
    const { clock, hb, pings } = setup();
    hb.start();
    expect(pings).toHaveLength(1);
    await clock.advance(4_999);
    expect(pings).toHaveLength(1);
    hb.onPong(pings[0] ?? 0);
    await clock.advance(1);
    expect(pings).toHaveLength(2);
    hb.onPong(pings[1] ?? 0);
    await clock.advance(5_000);
    expect(pings).toHaveLength(3);
    hb.stop();
  });

  it('measures the round trip of each answered ping', async () => {
    const { clock, hb, pings, rtts } = setup();
    hb.start();
    await clock.advance(42);
    hb.onPong(pings[0] ?? 0);
    expect(rtts).toEqual([42]);
    hb.onPong(pings[0] ?? 0);
    expect(rtts).toEqual([42]);
    hb.stop();
  });

  it('declares the link dead after two missed pongs (10 s), and not before', async () => {
    const { clock, hb, dead } = setup();
    hb.start();
    await clock.advance(9_999);
    expect(dead()).toBe(0);
    expect(hb.missedPongs).toBe(1);
    await clock.advance(1);
    expect(dead()).toBe(1);
    expect(clock.pendingTimers).toBe(0);
  });

  it('forgives a missed pong once any pong arrives', async () => {
    const { clock, hb, pings, dead } = setup();
    hb.start();
    await clock.advance(5_000);
    expect(hb.missedPongs).toBe(1);
    hb.onPong(pings[1] ?? 0);
    await clock.advance(5_000);
    expect(dead()).toBe(0);
    expect(hb.missedPongs).toBe(0);
    hb.stop();
  });

  it('clears its timer on stop', () => {
    const { clock, hb } = setup();
    hb.start();
    expect(clock.pendingTimers).toBe(1);
    hb.stop();
    expect(clock.pendingTimers).toBe(0);
  });
});
