import type { Priority } from '@av-gym/protocol';

/** A logical message waiting in the batcher (or in flight, between flush and ack). */
export interface QueuedMessage {
  /** The idempotency key; kept across resends. */
  readonly id: string;
  readonly type: string;
  /** Mutable only by coalescing, which merges later data into a queued message. */
  data: unknown;
  priority: Priority;
  /** Enqueue order over the batcher's life: frames and requeues keep messages in this order. */
  readonly order: number;
  /** The member the message acts on (protocol `conflictKey`); messages of one key keep their order. */
  readonly key: string | undefined;
  /** Monotonic ms when first enqueued. */
  readonly enqueuedAtMs: number;
  /** Times written to a socket. A message sent once is never coalesced into: the server may have applied it. */
  sends: number;
}

export const PRIORITIES: readonly Priority[] = ['high', 'medium', 'low'];
