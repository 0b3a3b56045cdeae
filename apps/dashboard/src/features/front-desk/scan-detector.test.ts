import { describe, expect, it } from 'vitest';
import { ScanDetector } from './scan-detector.js';

function feed(detector: ScanDetector, keys: string[], startMs: number, gapMs: number): (string | null)[] {
  return keys.map((key, i) => detector.key(key, startMs + i * gapMs));
}

describe('ScanDetector', () => {
  it('returns the code of a fast run of keystrokes ending in Enter', () => {
    const d = new ScanDetector();
    const out = feed(d, [...'GYM-0042', 'Enter'], 1_000, 8);
    expect(out.slice(0, -1).every((x) => x === null)).toBe(true);
    expect(out.at(-1)).toBe('GYM-0042');
  });

  it('ignores keys typed at a person’s pace', () => {
    const d = new ScanDetector();
    expect(feed(d, [...'1234', 'Enter'], 1_000, 180).at(-1)).toBeNull();
  });

  it('drops slow keys before a fast run and keeps the run', () => {
    const d = new ScanDetector();
    d.key('x', 0);
    d.key('y', 500);
    expect(feed(d, [...'10001', 'Enter'], 2_000, 5).at(-1)).toBe('10001');
  });

  it('needs at least minLength characters, and no more than maxLength', () => {
    const d = new ScanDetector({ minLength: 4, maxLength: 6 });
    expect(feed(d, [...'123', 'Enter'], 0, 5).at(-1)).toBeNull();
    expect(feed(d, [...'1234567', 'Enter'], 100, 5).at(-1)).toBeNull();
    expect(feed(d, [...'123456', 'Enter'], 200, 5).at(-1)).toBe('123456');
  });

  it('lets modifier keys pass without breaking the run', () => {
    const d = new ScanDetector();
    expect(feed(d, ['Shift', 'A', 'Shift', 'B', '1', '2', 'Enter'], 0, 4).at(-1)).toBe('AB12');
  });

  it('refuses an Enter that comes long after the last key', () => {
    const d = new ScanDetector();
    feed(d, [...'12345'], 0, 5);
    expect(d.inRun).toBe(true);
    expect(d.key('Enter', 1_000)).toBeNull();
    expect(d.inRun).toBe(false);
  });
});
