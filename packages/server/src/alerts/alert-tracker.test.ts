import { describe, expect, it } from 'vitest';
import {
  type AlertThresholds,
  type DeskObservation,
  evaluateRules,
  type Observation,
} from './alert-rules.js';
import { AlertTracker } from './alert-tracker.js';

const T: AlertThresholds = {
  qualityMin: 50,
  qualityForMs: 60_000,
  offlineAfterMs: 90_000,
  ackP99Ms: 1_000,
  reconnects: 5,
  dropRatePercent: 5,
  queueBytes: 1_000,
  forMs: 30_000,
};
const T0 = 1_000_000_000_000;

function desk(extra: Partial<DeskObservation> = {}): DeskObservation {
  return {
    deskId: 'desk-3',
    connected: true,
    lastReportAt: T0,
    quality: 95,
    reconnects: 0,
    dropRate: 0,
    ...extra,
  };
}
function obs(now: number, extra: Partial<Observation> = {}): Observation {
  return {
    now,
    node: 'node-a',
    desks: [desk()],
    ackP99Ms: 5,
    queueBytes: 0,
    databaseUp: true,
    brokerUp: true,
    ...extra,
  };
}

/** Runs the rules and the tracker over a timeline; returns every transition as [rule, state, at]. */
function run(steps: Observation[]) {
  let n = 0;
  const tracker = new AlertTracker(
    () => 'node-a',
    () => `a${++n}`,
  );
  const log: [string, string, number][] = [];
  for (const o of steps) {
    for (const a of tracker.update(o.now, evaluateRules(o, T), () => true))
      log.push([a.rule, a.state, o.now]);
  }
  return { log, tracker };
}

describe('alert rules and their transitions', () => {
  it('desk_quality_low: pending while below for less than its window, firing after, resolved when it recovers', () => {
    const low = (now: number, quality: number) => obs(now, { desks: [desk({ quality, lastReportAt: now })] });
    const { log } = run([
      low(T0, 40),
      low(T0 + 30_000, 45),
      low(T0 + 60_000, 30),
      low(T0 + 70_000, 30),
      low(T0 + 80_000, 90),
    ]);
    expect(log).toEqual([
      ['desk_quality_low', 'pending', T0],
      ['desk_quality_low', 'firing', T0 + 60_000],
      ['desk_quality_low', 'resolved', T0 + 80_000],
    ]);
  });

  it('drops a pending alert that recovers before it fires, with no resolved record', () => {
    const q = (now: number, quality: number) => obs(now, { desks: [desk({ quality, lastReportAt: now })] });
    expect(run([q(T0, 40), q(T0 + 10_000, 90), q(T0 + 20_000, 90)]).log).toEqual([
      ['desk_quality_low', 'pending', T0],
    ]);
  });

  it('desk_offline fires at once once the desk is silent past the window, with words for staff, and resolves when it reports', () => {
    const off = (now: number) => obs(now, { desks: [desk({ connected: false, lastReportAt: T0 })] });
    const { log, tracker } = run([off(T0 + 60_000), off(T0 + 240_000)]);
    expect(log).toEqual([['desk_offline', 'firing', T0 + 240_000]]);
    expect(tracker.open()[0]?.summary).toBe('Desk desk-3 offline for 4 min');
    expect(tracker.open()[0]?.startedAt).toBe(T0);
    const back = tracker.update(T0 + 250_000, evaluateRules(obs(T0 + 250_000), T), () => true);
    expect(back.map((a) => a.state)).toEqual(['resolved']);
  });

  it('an offline desk raises no quality alerts from its stale report', () => {
    const o = obs(T0 + 100_000, { desks: [desk({ connected: false, quality: 10, reconnects: 9 })] });
    expect(evaluateRules(o, T).map((c) => c.rule)).toEqual(['desk_offline']);
  });

  it('reconnect_storm fires at the threshold at once', () => {
    const r = (now: number, reconnects: number) =>
      obs(now, { desks: [desk({ reconnects, lastReportAt: now })] });
    expect(run([r(T0, 4), r(T0 + 10_000, 5), r(T0 + 20_000, 1)]).log).toEqual([
      ['reconnect_storm', 'firing', T0 + 10_000],
      ['reconnect_storm', 'resolved', T0 + 20_000],
    ]);
  });

  it('drop_rate_high, ack_p99_high and outbound_queue_high wait ALERT_FOR_SEC', () => {
    const bad = (now: number) =>
      obs(now, { desks: [desk({ dropRate: 0.08, lastReportAt: now })], ackP99Ms: 1_500, queueBytes: 2_000 });
    const { log } = run([
      bad(T0),
      bad(T0 + 29_000),
      bad(T0 + 30_000),
      obs(T0 + 40_000, { desks: [desk({ lastReportAt: T0 + 40_000 })] }),
    ]);
    const rules = ['drop_rate_high', 'ack_p99_high', 'outbound_queue_high'];
    for (const rule of rules) {
      expect(log.filter((l) => l[0] === rule)).toEqual([
        [rule, 'pending', T0],
        [rule, 'firing', T0 + 30_000],
        [rule, 'resolved', T0 + 40_000],
      ]);
    }
  });

  it('database_down and broker_down fire at once and resolve when back', () => {
    const { log } = run([obs(T0, { databaseUp: false, brokerUp: false }), obs(T0 + 10_000)]);
    expect(log).toEqual([
      ['database_down', 'firing', T0],
      ['broker_down', 'firing', T0],
      ['database_down', 'resolved', T0 + 10_000],
      ['broker_down', 'resolved', T0 + 10_000],
    ]);
  });

  it('leaves alerts of rules outside this evaluation alone', () => {
    let n = 0;
    const tracker = new AlertTracker(
      () => 'node-a',
      () => `a${++n}`,
    );
    tracker.update(T0, evaluateRules(obs(T0, { desks: [desk({ reconnects: 9 })] }), T), () => true);
    const changed = tracker.update(
      T0 + 10_000,
      [],
      (rule) => !rule.startsWith('desk') && rule !== 'reconnect_storm',
    );
    expect(changed).toEqual([]);
    expect(tracker.open()).toHaveLength(1);
  });
});
