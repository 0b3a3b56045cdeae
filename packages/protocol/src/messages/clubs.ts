import * as z from 'zod';

/** A club id: 1-32 lower-case letters, digits, `-` or `_`, starting with a letter or digit (it is part of topic names). */
export const ClubId = z
  .string()
  .regex(/^[a-z0-9][a-z0-9_-]{0,31}$/, 'expected 1-32 lower-case letters, digits, - or _');
export type ClubId = z.infer<typeof ClubId>;

/** Where a member may check in: `home` only at their home club, `all` at every club of the chain. */
export const ACCESS_RULES = ['home', 'all'] as const;
export const AccessRule = z.enum(ACCESS_RULES);
export type AccessRule = z.infer<typeof AccessRule>;

/** Whether `name` is an IANA time zone this runtime knows (`Europe/London`, `UTC`). */
export function isTimeZone(name: string): boolean {
  if (name.length === 0 || name.length > 64) return false;
  try {
    new Intl.DateTimeFormat('en', { timeZone: name });
    return true;
  } catch {
    return false;
  }
}

/** An IANA time zone name, checked against the runtime's time zone database. */
export const TimeZone = z
  .string()
  .max(64)
  .refine(isTimeZone, 'expected an IANA time zone such as Europe/London');

/** A club of the chain as the server returns it. */
export const Club = z.object({
  id: ClubId,
  name: z.string(),
  /** People the club holds at once; a check-in past it is refused CAPACITY_REACHED. */
  capacity: z.number().int().positive(),
  timeZone: z.string(),
});
export type Club = z.infer<typeof Club>;
