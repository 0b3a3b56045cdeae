import type { MemberListReport, ReportDocument } from '@av-gym/protocol';

const DAY_NAMES = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];

/**
 * One CSV field (RFC 4180): quoted when it holds a comma, quote or line break, quotes doubled.
 * Text starting with `=`, `+`, `-`, `@`, tab or carriage return gets a leading `'`, so a
 * spreadsheet shows a member named `=HYPERLINK(...)` as text instead of running it (OWASP).
 */
export function csvField(value: string | number | null): string {
  if (value === null) return '';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  const text = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

function csv(rows: readonly (readonly (string | number | null)[])[]): string {
  return `${rows.map((r) => r.map(csvField).join(',')).join('\r\n')}\r\n`;
}

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

function memberRows(list: MemberListReport) {
  return [
    ['membership_number', 'name', 'last_visit_at', 'expires_at'],
    ...list.members.map((m) => [m.membershipNumber, m.name, iso(m.lastVisitAt), m.expiresAt]),
  ];
}

/** The report as CSV: a header row, then one row per cell, day, member or month (CRLF line ends). */
export function reportCsv(doc: ReportDocument): string {
  switch (doc.report) {
    case 'visits-by-hour': {
      const d = doc.data;
      const hours = Array.from({ length: 24 }, (_, h) => `${String(h).padStart(2, '0')}:00`);
      return csv([['day', ...hours], ...d.cells.map((row, i) => [DAY_NAMES[i] ?? String(i), ...row])]);
    }
    case 'visits-per-day': {
      const d = doc.data;
      return csv([
        ['date', 'visits', 'moving_average_7', 'trend'],
        ...d.days.map((day, i) => [
          day.date,
          day.visits,
          day.movingAverage7,
          Math.round((d.trend.intercept + d.trend.slopePerDay * i) * 100) / 100,
        ]),
      ]);
    }
    case 'average-stay': {
      const d = doc.data;
      return csv([
        ['from', 'to', 'closed_visits', 'average_stay_minutes'],
        [doc.from, doc.to, d.closedVisits, d.averageStayMinutes],
      ]);
    }
    case 'members-at-risk':
    case 'expiring':
      return csv(memberRows(doc.data));
    case 'members-per-month': {
      const d = doc.data;
      return csv([['month', 'joined', 'lapsed'], ...d.months.map((m) => [m.month, m.joined, m.lapsed])]);
    }
  }
}
