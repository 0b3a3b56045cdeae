import * as z from 'zod';
import { ISO_DATE_YEARS, MAX_EPOCH_MS, MAX_MESSAGE_ID_LENGTH } from '../limits.js';

const TAB = 0x09;
const LINE_FEED = 0x0a;
const CARRIAGE_RETURN = 0x0d;

/** Whether `s` holds a C0 control character or DEL (`lines`: tab, LF and CR are fine). PostgreSQL refuses NUL in text. */
function controlIn(s: string, lines: boolean): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0x20 && c !== 0x7f) continue;
    if (lines && (c === TAB || c === LINE_FEED || c === CARRIAGE_RETURN)) continue;
    return true;
  }
  return false;
}

/** A single-line string of `min`-`max` characters without control characters. */
export const Line = (min: number, max: number) =>
  z
    .string()
    .min(min)
    .max(max)
    .refine((s) => !controlIn(s, false), 'must not contain control characters');

/** Free text up to `max` characters; line breaks and tabs allowed, other control characters not. */
export const Text = (max: number) =>
  z
    .string()
    .max(max)
    .refine((s) => !controlIn(s, true), 'must not contain control characters');

/** A logical message id: client-made (ULID or UUID), the idempotency key; no control characters. */
export const MessageId = Line(1, MAX_MESSAGE_ID_LENGTH);

/** Whether a string holds a control character (C0 or DEL). */
export function hasControlCharacter(s: string): boolean {
  return controlIn(s, false);
}

/** A member id (`m_` + ULID for server-made ones; clients may choose their own): 1-64 characters, no control characters. */
export const MemberId = Line(1, 64);

/** Milliseconds since the epoch: a whole number from 0 (1970) to before 2200-01-01. */
export const EpochMs = z
  .number()
  .int()
  .nonnegative()
  .lt(MAX_EPOCH_MS, 'expected ms since the epoch before 2200-01-01');

function isCalendarDate(s: string): boolean {
  const year = Number(s.slice(0, 4));
  const month = Number(s.slice(5, 7));
  const day = Number(s.slice(8, 10));
  if (year < ISO_DATE_YEARS.min || year > ISO_DATE_YEARS.max || month < 1 || month > 12 || day < 1)
    return false;
  return day <= new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** A real calendar date, `YYYY-MM-DD`, in the years 1900-2200. */
export const IsoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'expected a date as YYYY-MM-DD')
  .refine(isCalendarDate, `expected a real date in ${ISO_DATE_YEARS.min}-${ISO_DATE_YEARS.max}`);

/** A desk name: 1-64 characters, no control characters. */
export const DeskId = Line(1, 64);
