import type { ServerEvent } from '@av-gym/protocol';

/**
 * Recent events shared by every node (the Redis broker keeps them in a capped stream), so a
 * node that starts, or a desk that moves to another node, can resume from events this node
 * never saw itself.
 */
export interface ResumeHistory {
  /** The newest gap-free run of events, in seq order (empty when none are kept). */
  recent(): Promise<readonly ServerEvent[]>;
}

/** Health of a broker that talks to a service (the memory broker has none: always healthy). */
export interface BrokerHealth {
  /** True while the broker is connected and delivering. */
  healthy(): boolean;
}
