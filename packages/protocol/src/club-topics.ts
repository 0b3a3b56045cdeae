import * as z from 'zod';

/** Event topics that also come per club: `check_ins:<clubId>`, `occupancy:<clubId>`, and `:*` for every club. */
export const CLUB_TOPIC_FAMILIES = ['check_ins', 'occupancy'] as const;
export type ClubTopicFamily = (typeof CLUB_TOPIC_FAMILIES)[number];

/** `*` after the colon: every club (head office). */
export const EVERY_CLUB = '*';

const CLUB_TOPIC_PATTERN = /^(check_ins|occupancy):(\*|[a-z0-9][a-z0-9_-]{0,31})$/;

/** A per-club topic name: `check_ins:north`, `occupancy:*`. Club ids as {@link ClubId}. */
export const ClubTopicName = z
  .string()
  .max(48)
  .regex(CLUB_TOPIC_PATTERN, 'expected check_ins:<clubId>, occupancy:<clubId> or <topic>:*');
export type ClubTopicName = z.infer<typeof ClubTopicName>;

/** Most topic names one connection may hold at once (per-club names included). */
export const MAX_SUBSCRIBED_TOPICS = 32;

/** The family and club of a per-club topic name, or undefined when it is not one. */
export function parseClubTopic(name: string): { family: ClubTopicFamily; clubId: string } | undefined {
  const match = CLUB_TOPIC_PATTERN.exec(name);
  if (!match) return undefined;
  return { family: match[1] as ClubTopicFamily, clubId: match[2] as string };
}
