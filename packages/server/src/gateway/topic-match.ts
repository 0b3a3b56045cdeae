import {
  ALL_TOPICS,
  EVERY_CLUB,
  MAX_SUBSCRIBED_TOPICS,
  parseClubTopic,
  type ServerEvent,
  TOPICS,
} from '@av-gym/protocol';

/**
 * What a connection subscribed to: chain-wide event topics (`check_ins`, `members`, `occupancy`)
 * and per-club names (`check_ins:north`, `occupancy:*`). Monitor topics (`alerts`) are kept apart.
 */
export type Subscriptions = ReadonlySet<string>;

/** The subscription names of a `hello`/`subscribe` list: `*` is every chain-wide topic; `alerts` is left out. */
export function expandTopics(topics: readonly string[]): Set<string> {
  const out = new Set<string>();
  for (const t of topics) {
    if (t === ALL_TOPICS) for (const all of TOPICS) out.add(all);
    else if ((TOPICS as readonly string[]).includes(t) || parseClubTopic(t)) out.add(t);
  }
  return out;
}

/** The names after a subscribe or unsubscribe; undefined when a subscribe would pass {@link MAX_SUBSCRIBED_TOPICS}. */
export function changeSubscriptions(
  current: Subscriptions,
  kind: 'subscribe' | 'unsubscribe',
  topics: readonly string[],
): Set<string> | undefined {
  const next = new Set(current);
  for (const t of expandTopics(topics)) {
    if (kind === 'subscribe') next.add(t);
    else next.delete(t);
  }
  return next.size > MAX_SUBSCRIBED_TOPICS ? undefined : next;
}

/**
 * Whether a connection with these subscriptions gets `event`: its topic (chain-wide), or the
 * per-club name of its club. A visit event names its club in `clubId`; `occupancy.changed` lists
 * the clubs whose figures it carries in `clubs`. `<topic>:*` takes every club's.
 */
export function subscribedTo(subscriptions: Subscriptions, event: ServerEvent): boolean {
  if (subscriptions.has(event.topic)) return true;
  if (subscriptions.size === 0 || event.topic === 'members') return false;
  const data = event.data as { clubId?: unknown; clubs?: unknown };
  if (typeof data.clubId === 'string')
    return (
      subscriptions.has(`${event.topic}:${data.clubId}`) || subscriptions.has(`${event.topic}:${EVERY_CLUB}`)
    );
  if (!Array.isArray(data.clubs) || data.clubs.length === 0) return false;
  if (subscriptions.has(`${event.topic}:${EVERY_CLUB}`)) return true;
  for (const c of data.clubs as { clubId: string }[])
    if (subscriptions.has(`${event.topic}:${c.clubId}`)) return true;
  return false;
}
