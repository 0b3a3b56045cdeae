import * as z from 'zod';
import { ClubTopicName } from './club-topics.js';
import { EpochMs, MemberId } from './messages/common.js';
import { Member } from './messages/members.js';
import { CheckInAlert } from './messages/visits.js';

export const TOPICS = ['check_ins', 'members', 'occupancy'] as const;
export type Topic = (typeof TOPICS)[number];
/**
 * Extension: topics that carry no events but frames of their own (`alerts`: `alert` frames).
 * `"*"` does not include them: a client asks for each by name.
 */
export const MONITOR_TOPICS = ['alerts'] as const;
export type MonitorTopic = (typeof MONITOR_TOPICS)[number];
/** `"*"` in subscribe/hello stands for every event topic. */
export const ALL_TOPICS = '*';
/** Extension (issue 17): per-club names (`check_ins:<clubId>`, `occupancy:*`) beside the chain-wide ones. */
export const TopicName = z.union([
  z.enum(TOPICS),
  z.enum(MONITOR_TOPICS),
  z.literal(ALL_TOPICS),
  ClubTopicName,
]);

export const VisitEventData = z.object({
  visitId: z.string(),
  memberId: MemberId,
  memberName: z.string(),
  deskId: z.string().nullable(),
  at: EpochMs,
  /** Only on check_out.created. */
  stayMinutes: z.number().optional(),
  /** Extension (issue 17): the club of the visit (absent: an older server). */
  clubId: z.string().optional(),
  /** Extension (issue 13), only on check_in.created: the alerts the desk saw (absent: none). */
  alerts: z.array(CheckInAlert).optional(),
  /** Extension (issue 13), only on check_in.created: blocking alerts overridden, by whom and why. */
  override: z.object({ reason: z.string(), by: z.string().nullable() }).optional(),
});
export type VisitEventData = z.infer<typeof VisitEventData>;

export const OccupancyEventData = z.object({
  current: z.number().int().nonnegative(),
  capacity: z.number().int().positive(),
  todayTotal: z.number().int().nonnegative(),
  /**
   * Extension (issue 17): the figures of each club whose visits this transaction changed. The
   * event goes to `occupancy`, `occupancy:*` and `occupancy:<clubId>` of each club listed here.
   */
  clubs: z
    .array(
      z.object({
        clubId: z.string(),
        current: z.number().int().nonnegative(),
        capacity: z.number().int().positive(),
        todayTotal: z.number().int().nonnegative(),
      }),
    )
    .optional(),
});
export type OccupancyEventData = z.infer<typeof OccupancyEventData>;

/** Each event name, its topic and the shape of its data. */
export const EVENT_SCHEMAS = {
  'check_in.created': { topic: 'check_ins', data: VisitEventData },
  'check_out.created': { topic: 'check_ins', data: VisitEventData },
  'member.created': { topic: 'members', data: z.object({ member: Member }) },
  'member.updated': {
    topic: 'members',
    // extension: `change` names a state action (member_renew, member_unfreeze); absent for an edit
    data: z.object({ member: Member, change: z.enum(['renewed', 'unfrozen']).optional() }),
  },
  'occupancy.changed': { topic: 'occupancy', data: OccupancyEventData },
} as const satisfies Record<string, { topic: Topic; data: z.ZodType }>;
export type EventName = keyof typeof EVENT_SCHEMAS;
export type EventDataMap = { [K in EventName]: z.infer<(typeof EVENT_SCHEMAS)[K]['data']> };

/** Events the server may drop for a slow reader before closing it (the next one supersedes them). */
export const DROPPABLE_EVENTS: ReadonlySet<string> = new Set(['occupancy.changed']);

/** One event on the wire: `seq` is global, strictly increasing and gap-free over all topics. */
export const EventFrame = z.object({
  type: z.literal('event'),
  seq: z.number().int().positive(),
  topic: z.enum(TOPICS),
  name: z.string(),
  at: EpochMs.optional(),
  data: z.unknown(),
});
export type EventFrame = z.infer<typeof EventFrame>;
/** An event as stored in history and carried inside an `events` frame. */
export type ServerEvent<N extends EventName = EventName> = {
  type: 'event';
  seq: number;
  topic: Topic;
  name: N;
  at?: number;
  data: EventDataMap[N];
};
