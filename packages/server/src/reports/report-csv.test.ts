import { describe, expect, it } from 'vitest';
import { csvField, reportCsv } from './report-csv.js';

describe('csvField', () => {
  it('quotes commas, quotes and line breaks, doubling quotes', () => {
    expect(csvField('plain')).toBe('plain');
    expect(csvField('Smith, Jo')).toBe('"Smith, Jo"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('two\nlines')).toBe('"two\nlines"');
  });

  it('defuses text a spreadsheet would run as a formula', () => {
    expect(csvField('=HYPERLINK("http://x","y")')).toBe('"\'=HYPERLINK(""http://x"",""y"")"');
    expect(csvField('+1')).toBe("'+1");
    expect(csvField('-2')).toBe("'-2");
    expect(csvField('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(csvField('\tx')).toBe("'\tx");
  });

  it('writes numbers as numbers (a negative trend stays a number) and null as empty', () => {
    expect(csvField(-0.5)).toBe('-0.5');
    expect(csvField(null)).toBe('');
  });
});

describe('reportCsv', () => {
  const head = { from: '2026-03-01', to: '2026-03-02', timeZone: 'UTC', club: null, generatedAt: 0 };

  it('writes the member lists with a guarded name and ISO times', () => {
    const text = reportCsv({
      ...head,
      report: 'members-at-risk',
      data: {
        count: 1,
        members: [
          { id: 'a', membershipNumber: 'M1', name: '=cmd|x', lastVisitAt: 0, expiresAt: '2026-04-01' },
        ],
      },
    });
    expect(text).toBe(
      "membership_number,name,last_visit_at,expires_at\r\nM1,'=cmd|x,1970-01-01T00:00:00.000Z,2026-04-01\r\n",
    );
  });

  it('writes the heat map as one row per weekday, Monday first', () => {
    const cells = Array.from({ length: 7 }, (_, d) => Array.from({ length: 24 }, (_, h) => d * 100 + h));
    const lines = reportCsv({ ...head, report: 'visits-by-hour', data: { cells, max: 623 } }).split('\r\n');
    expect(lines[0]?.split(',')).toHaveLength(25);
    expect(lines[1]?.startsWith('Monday,0,1,2,')).toBe(true);
    expect(lines[7]?.startsWith('Sunday,600,601,')).toBe(true);
  });
});
