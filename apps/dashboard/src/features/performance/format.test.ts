import { describe, expect, it } from 'vitest';
import { formatAgo, formatBytes, formatMs, formatPercent } from './format.js';

describe('formatBytes', () => {
  it('uses binary units', () => {
    expect(formatBytes(512)).toBe('512 B');
    expect(formatBytes(1536)).toBe('1.5 KB');
    expect(formatBytes(20 * 1024 * 1024)).toBe('20 MB');
  });

  it('keeps the sign of a negative saving', () => {
    expect(formatBytes(-2048)).toBe('-2.0 KB');
  });
});

describe('formatMs', () => {
  it('shows a decimal below 10 ms and seconds from 10 s', () => {
    expect(formatMs(3.24)).toBe('3.2 ms');
    expect(formatMs(250.4)).toBe('250 ms');
    expect(formatMs(12_500)).toBe('12.5 s');
    expect(formatMs(null)).toBe('–');
  });
});

describe('formatPercent and formatAgo', () => {
  it('rounds a percentage', () => {
    expect(formatPercent(86.6)).toBe('87 %');
  });

  it('says how long ago', () => {
    expect(formatAgo(10_000, 22_000)).toBe('12 s ago');
    expect(formatAgo(0, 22_000)).toBe('never');
    expect(formatAgo(1, 3 * 60_000)).toBe('3 min ago');
  });
});
