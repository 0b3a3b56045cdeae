import { describe, expect, it } from 'vitest';
import { checkOutShare, dayIntensity, simulatedHour } from './day-curve.js';

describe('dayIntensity', () => {
  it('peaks in the evening and the morning, quiet in the afternoon lull and at night', () => {
    expect(dayIntensity(18)).toBeGreaterThan(0.9);
    expect(dayIntensity(7.5)).toBeGreaterThan(dayIntensity(15));
    expect(dayIntensity(3)).toBeLessThan(0.05);
  });

  it('stays within 0-1', () => {
    for (let h = 0; h <= 24; h += 0.25) {
      expect(dayIntensity(h)).toBeGreaterThanOrEqual(0);
      expect(dayIntensity(h)).toBeLessThanOrEqual(1);
    }
  });
});

describe('simulatedHour', () => {
  it('runs from 06:00 to 22:00 over the run', () => {
    expect(simulatedHour(0, 60_000)).toBe(6);
    expect(simulatedHour(30_000, 60_000)).toBe(14);
    expect(simulatedHour(90_000, 60_000)).toBe(22);
  });
});

describe('checkOutShare', () => {
  it('is zero with nobody inside and grows towards closing', () => {
    expect(checkOutShare(12, 0)).toBe(0);
    expect(checkOutShare(21, 10)).toBeGreaterThan(checkOutShare(8, 10));
  });
});
