const formatters = new Map<string, Intl.DateTimeFormat>();
const MAX_FORMATTERS = 64;
const DAY_MS = 86_400_000;

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    // Zones come from validated queries and the clubs table; the cap keeps the cache bounded anyway.
    if (formatters.size >= MAX_FORMATTERS) formatters.clear();
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

/** How far the zone's wall clock is ahead of UTC at `epochMs` (ms; negative west of Greenwich). */
export function zoneOffsetMs(timeZone: string, epochMs: number): number {
  const parts: Record<string, number> = {};
  for (const p of formatter(timeZone).formatToParts(new Date(epochMs))) {
    if (p.type !== 'literal') parts[p.type] = Number(p.value);
  }
  const wall = Date.UTC(
    parts.year ?? 1970,
    (parts.month ?? 1) - 1,
    parts.day ?? 1,
    parts.hour ?? 0,
    parts.minute ?? 0,
    parts.second ?? 0,
  );
  const whole = epochMs - (((epochMs % 1000) + 1000) % 1000);
  return wall - whole;
}

/** The instant the local date `YYYY-MM-DD` starts in the zone (its first existing minute on a DST day). */
export function localMidnight(date: string, timeZone: string): number {
  const wall = Date.parse(`${date}T00:00:00Z`);
  let t = wall - zoneOffsetMs(timeZone, wall);
  // A second pass settles the offset when midnight is near a transition.
  t = wall - zoneOffsetMs(timeZone, t);
  return t;
}

/** `YYYY-MM-DD` plus `days`. */
export function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);
}

/** The local date `YYYY-MM-DD` of an instant in the zone. */
export function localDate(epochMs: number, timeZone: string): string {
  return new Date(epochMs + zoneOffsetMs(timeZone, epochMs)).toISOString().slice(0, 10);
}

/** Where an instant falls on the local calendar. */
export interface LocalTime {
  /** `YYYY-MM-DD`. */
  date: string;
  /** 0 Monday .. 6 Sunday. */
  weekday: number;
  hour: number;
}

/**
 * Maps many instants to local time cheaply: the zone's offset is looked up once per UTC day when
 * it is the same at both ends of the day (every day but the two DST switches), else per hour, and
 * each local date's text is made once.
 */
export class LocalCalendar {
  readonly #timeZone: string;
  readonly #dayOffsets = new Map<number, number | null>();
  readonly #hourOffsets = new Map<number, number>();
  readonly #dates = new Map<number, string>();

  constructor(timeZone: string) {
    this.#timeZone = timeZone;
  }

  at(epochMs: number): LocalTime {
    const local = epochMs + this.#offset(epochMs);
    const dayNumber = Math.floor(local / DAY_MS);
    let date = this.#dates.get(dayNumber);
    if (date === undefined) {
      date = new Date(dayNumber * DAY_MS).toISOString().slice(0, 10);
      this.#dates.set(dayNumber, date);
    }
    // 1970-01-01 was a Thursday (3 with Monday as 0).
    const weekday = (((dayNumber + 3) % 7) + 7) % 7;
    return { date, weekday, hour: Math.floor((local - dayNumber * DAY_MS) / 3_600_000) };
  }

  #offset(epochMs: number): number {
    const day = Math.floor(epochMs / DAY_MS);
    let whole = this.#dayOffsets.get(day);
    if (whole === undefined) {
      const start = zoneOffsetMs(this.#timeZone, day * DAY_MS);
      const end = zoneOffsetMs(this.#timeZone, (day + 1) * DAY_MS - 1);
      whole = start === end ? start : null;
      this.#dayOffsets.set(day, whole);
    }
    if (whole !== null) return whole;
    // A switch day: by the hour (offsets in use change on a whole or half hour; exact per instant at the switch hour).
    const hour = Math.floor(epochMs / 3_600_000);
    let offset = this.#hourOffsets.get(hour);
    if (offset === undefined) {
      const a = zoneOffsetMs(this.#timeZone, hour * 3_600_000);
      const b = zoneOffsetMs(this.#timeZone, (hour + 1) * 3_600_000 - 1);
      if (a !== b) return zoneOffsetMs(this.#timeZone, epochMs);
      offset = a;
      this.#hourOffsets.set(hour, offset);
    }
    return offset;
  }
}
