import { describe, expect, it } from 'vitest';
import { occupancyLevel } from './occupancy-level.js';

describe('occupancyLevel', () => {
  it('is green up to 75 %', () => {
    expect(occupancyLevel(75, 100)).toEqual({ percent: 75, tone: 'good', label: 'Room available' });
  });

  it('is yellow above 75 % up to 90 %', () => {
    expect(occupancyLevel(76, 100).tone).toBe('fair');
    expect(occupancyLevel(90, 100).tone).toBe('fair');
  });

  it('is red above 90 %', () => {
    expect(occupancyLevel(91, 100)).toEqual({ percent: 91, tone: 'poor', label: 'Nearly full' });
    expect(occupancyLevel(130, 100).tone).toBe('poor');
  });

  it('treats a zero capacity as empty rather than dividing by zero', () => {
    expect(occupancyLevel(3, 0).percent).toBe(0);
  });
});
