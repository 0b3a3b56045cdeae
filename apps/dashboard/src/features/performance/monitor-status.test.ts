import type { Alert } from '@av-gym/protocol';
import { describe, expect, it } from 'vitest';
import { mergeAlerts, plainStatus } from './monitor-status.js';

const NOW = 1_800_000_000_000;
function alert(extra: Partial<Alert>): Alert {
  return {
    id: 'a1',
    rule: 'desk_offline',
    subject: '3',
    severity: 'critical',
    state: 'firing',
    summary: 'Desk 3 offline for 2 min',
    value: 0,
    node: 'n',
    startedAt: NOW - 4 * 60_000,
    firedAt: NOW - 3 * 60_000,
    resolvedAt: null,
    updatedAt: NOW - 3 * 60_000,
    ...extra,
  };
}

describe('plainStatus', () => {
  it('says all desks are healthy with nothing firing', () => {
    expect(plainStatus([alert({ state: 'pending' }), alert({ id: 'a2', state: 'resolved' })], NOW)).toEqual({
      text: 'All desks healthy',
      healthy: true,
    });
  });

  it('names the most serious firing alert in words, with the time counted to now', () => {
    const s = plainStatus(
      [
        alert({
          id: 'q',
          rule: 'desk_quality_low',
          severity: 'warning',
          summary: 'Desk 5 connection poor (quality 40 %)',
        }),
        alert({}),
      ],
      NOW,
    );
    expect(s).toEqual({ text: 'Desk 3 offline for 4 min (and 1 more)', healthy: false });
  });
});

describe('mergeAlerts', () => {
  it('keeps the newest state of each alert, newest first, and drops stale resolved ones', () => {
    const merged = mergeAlerts(
      [alert({}), alert({ id: 'old', state: 'resolved', updatedAt: NOW - 2 * 86_400_000 })],
      [
        alert({ state: 'resolved', updatedAt: NOW }),
        alert({ id: 'a0', updatedAt: NOW - 10 * 60_000, state: 'firing' }),
      ],
      NOW,
    );
    expect(merged.map((a) => [a.id, a.state])).toEqual([
      ['a1', 'resolved'],
      ['a0', 'firing'],
    ]);
    expect(
      mergeAlerts([alert({ updatedAt: NOW })], [alert({ state: 'firing', updatedAt: NOW - 1 })], NOW)[0]
        ?.updatedAt,
    ).toBe(NOW);
  });
});
