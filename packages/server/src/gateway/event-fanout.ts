import type { ServerEvent } from '@av-gym/protocol';
import { encodeEvents } from './encode.js';
import { type Subscriptions, subscribedTo } from './topic-match.js';

/** A receiver of events: a connection, as the fan-out sees it. */
export interface FanoutTarget {
  /** Chain-wide topics and per-club names (`check_ins:north`, `occupancy:*`). */
  readonly topics: Subscriptions;
  /** Hands over the encoded frame shared by every target with the same topics, and its events. */
  deliver(data: Buffer, events: readonly ServerEvent[]): void;
}

interface Group {
  topics: Subscriptions;
  targets: Set<FanoutTarget>;
}

export interface EventFanoutOptions {
  /** Runs the flush later (default `setImmediate`: once per event-loop turn). */
  schedule?(fn: () => void): void;
  /** Counts deliveries (one per target per frame) and frames encoded. */
  onFlush?(stats: { deliveries: number; events: number; frames: number }): void;
}

/**
 * Batches published events per tick and sends them to targets grouped by their topic set:
 * each group's frame is encoded once and the same bytes go to every target in it.
 */
export class EventFanout {
  private readonly groups = new Map<string, Group>();
  private readonly keyOf = new Map<FanoutTarget, string>();
  private pending: ServerEvent[] = [];
  private scheduled = false;
  private readonly schedule: (fn: () => void) => void;

  constructor(private readonly options: EventFanoutOptions = {}) {
    this.schedule = options.schedule ?? ((fn) => setImmediate(fn));
  }

  /** Targets registered now. */
  get size(): number {
    return this.keyOf.size;
  }

  /** Registers a target, or moves it after its topics changed. */
  add(target: FanoutTarget): void {
    this.remove(target);
    if (target.topics.size === 0) return;
    const key = [...target.topics].sort().join(',');
    let group = this.groups.get(key);
    if (!group) {
      group = { topics: new Set(target.topics), targets: new Set() };
      this.groups.set(key, group);
    }
    group.targets.add(target);
    this.keyOf.set(target, key);
  }

  remove(target: FanoutTarget): void {
    const key = this.keyOf.get(target);
    if (key === undefined) return;
    this.keyOf.delete(target);
    const group = this.groups.get(key);
    group?.targets.delete(target);
    if (group && group.targets.size === 0) this.groups.delete(key);
  }

  /** Queues events for the next flush. */
  publish(events: readonly ServerEvent[]): void {
    if (events.length === 0) return;
    for (const e of events) this.pending.push(e);
    if (this.scheduled) return;
    this.scheduled = true;
    this.schedule(() => this.flush());
  }

  /** Sends what is queued now. */
  flush(): void {
    this.scheduled = false;
    const events = this.pending;
    this.pending = [];
    if (events.length === 0) return;
    let deliveries = 0;
    let frames = 0;
    for (const group of this.groups.values()) {
      const selected = events.filter((e) => subscribedTo(group.topics, e));
      if (selected.length === 0) continue;
      const data = encodeEvents(selected);
      frames++;
      for (const target of group.targets) {
        try {
          target.deliver(data, selected);
          deliveries++;
        } catch {
          // a target's failure stays with it (connections close themselves on error)
        }
      }
    }
    this.options.onFlush?.({ deliveries, events: events.length, frames });
  }
}
