import { describe, expect, it } from 'vitest';
import { planHistoryRead } from './monitor-routes.js';

const NOW = 1_800_000_000_000;
const H = 3_600_000;

describe('planHistoryRead', () => {
  it('reads 10 s rows for the last hour, one point per row', () => {
    expect(planHistoryRead(NOW - H, NOW, NOW, undefined)).toEqual({ resolutionS: 10, stepS: 10 });
  });

  it('widens the step for a day and reads the coarsest rows that divide it', () => {
    expect(planHistoryRead(NOW - 24 * H, NOW, NOW, undefined)).toEqual({ resolutionS: 60, stepS: 60 });
  });

  it('reads 1 min rows for 7 days and 1 h rows past them', () => {
    expect(planHistoryRead(NOW - 7 * 24 * H, NOW, NOW, undefined)).toEqual({ resolutionS: 60, stepS: 420 });
    expect(planHistoryRead(NOW - 30 * 24 * H, NOW, NOW, undefined)).toEqual({
      resolutionS: 3_600,
      stepS: 3_600,
    });
  });

  it('takes the step asked when it fits the kept resolution, else says why', () => {
    expect(planHistoryRead(NOW - H, NOW, NOW, 60)).toEqual({ resolutionS: 60, stepS: 60 });
    expect(planHistoryRead(NOW - H, NOW, NOW, 15)).toMatch(/multiple of 10/);
    expect(planHistoryRead(NOW - 30 * 24 * H, NOW, NOW, 60)).toMatch(/multiple of 3600/);
    expect(planHistoryRead(NOW - 24 * H, NOW, NOW, 10)).toEqual({ resolutionS: 10, stepS: 10 });
  });
});
