import { describe, expect, it } from 'vitest';
import { LocalCalendar, localDate, localMidnight, zoneOffsetMs } from './time-zone.js';

describe('time zones', () => {
  it('knows the offset on both sides of a DST switch', () => {
    expect(zoneOffsetMs('America/New_York', Date.UTC(2026, 2, 8, 6, 59))).toBe(-5 * 3_600_000);
    expect(zoneOffsetMs('America/New_York', Date.UTC(2026, 2, 8, 7, 0))).toBe(-4 * 3_600_000);
    expect(zoneOffsetMs('Asia/Kathmandu', Date.UTC(2026, 0, 1))).toBe(5.75 * 3_600_000);
  });

  it('finds local midnight, also on the day clocks go forward', () => {
    expect(localMidnight('2026-03-08', 'America/New_York')).toBe(Date.UTC(2026, 2, 8, 5));
    expect(localMidnight('2026-03-09', 'America/New_York')).toBe(Date.UTC(2026, 2, 9, 4));
    expect(localMidnight('2026-10-25', 'Europe/Berlin')).toBe(Date.UTC(2026, 9, 24, 22));
    expect(localDate(Date.UTC(2026, 9, 24, 22, 30), 'Europe/Berlin')).toBe('2026-10-25');
  });

  it('maps every quarter hour of a year like Intl does', () => {
    const calendar = new LocalCalendar('Europe/Berlin');
    const intl = new Intl.DateTimeFormat('en-GB', {
      timeZone: 'Europe/Berlin',
      hourCycle: 'h23',
      weekday: 'short',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
    });
    const days = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];
    for (let t = Date.UTC(2026, 0, 1); t < Date.UTC(2027, 0, 1); t += 15 * 60_000 * 7) {
      const p = Object.fromEntries(intl.formatToParts(new Date(t)).map((x) => [x.type, x.value]));
      expect(calendar.at(t)).toEqual({
        date: `${p.year}-${p.month}-${p.day}`,
        weekday: days.indexOf(p.weekday ?? ''),
        hour: Number(p.hour),
      });
    }
  });
});
