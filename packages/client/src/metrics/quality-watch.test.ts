import { describe, expect, it } from 'vitest';
import { QualityWatch, qualityBand } from './quality-watch.js';

function recorder() {
  const lines: { level: string; message: string; fields: Record<string, unknown> }[] = [];
  const logger = {
    info: (fields: Record<string, unknown>, message: string) =>
      lines.push({ level: 'info', message, fields }),
    warn: (fields: Record<string, unknown>, message: string) =>
      lines.push({ level: 'warn', message, fields }),
  };
  return { lines, logger };
}

describe('QualityWatch', () => {
  it('bands a score as the monitor does', () => {
    expect([100, 80, 79.9, 50, 49.9, 0].map(qualityBand)).toEqual([
      'good',
      'good',
      'fair',
      'fair',
      'poor',
      'poor',
    ]);
  });

  it('warns in words once when the link degrades and tells when it recovers', () => {
    const { lines, logger } = recorder();
    const w = new QualityWatch(logger);
    w.observe(95, 'open');
    w.observe(40, 'reconnecting');
    w.observe(30, 'reconnecting');
    w.observe(85, 'open');
    expect(lines.map((l) => [l.level, l.message])).toEqual([
      ['warn', 'connection poor: actions are kept and sent'],
      ['info', 'connection good'],
    ]);
    expect(lines[0]?.fields).toMatchObject({ from: 'good', to: 'poor', score: 40 });
  });

  it('works without a logger', () => {
    expect(new QualityWatch(undefined).observe(10, 'open')).toBe('poor');
  });
});
