import type { BatchOrder, ServerEvent, StaffRole, TypeResult } from '@av-gym/protocol';

/**
 * The contract between the gateway and the batch consumer: consumer/ implements it, gateway/ calls it.
 */
export interface BatchInput {
  /** The `batches` object of a batch frame: type -> raw items `{id, data}` (not yet validated). */
  batches: Record<string, unknown[]>;
  /** The client's enqueue order, if sent (see protocol `orderedItems`). */
  order?: BatchOrder;
  /** The device that sent it (for client_stats and logs). */
  clientId: string;
  /**
   * Who it speaks for (the credential's id): calls of one lane wait behind each other, not in
   * front of other lanes' (see FairQueue). Default: `clientId`.
   */
  lane?: string;
  /**
   * Who sent it: the staff member of the connection's session (an API token acts as `api`, role
   * admin). Default {@link SYSTEM_ACTOR} at `clientId` (in-process callers, tests).
   */
  actor?: Actor;
}

/** Who sent a message: every handler sees it (permissions, audit rows, the staff column of visits). */
export interface Actor {
  readonly username: string;
  readonly role: StaffRole;
  /** The desk (device) the message came from: the connection's clientId. */
  readonly deskId: string;
}

/** The actor of a batch that names none (in-process callers such as tests and the bench's direct calls). */
export const SYSTEM_ACTOR = { username: 'system', role: 'admin' } as const;

export interface BatchOutcome {
  /**
   * Per type: every id of the input in exactly one of accepted / duplicates / rejected. An item
   * that is not `{id: string, data}` is rejected VALIDATION_FAILED under `#<index in its type's array>`.
   */
  results: Record<string, TypeResult>;
  /** The events the committed writes produced, with their global seq assigned. */
  events: ServerEvent[];
}

export interface BatchConsumer {
  /**
   * Validates, applies in one transaction (grouped with other calls arriving within a few ms),
   * and resolves only after the commit. Never rejects: failures become per-message rejections
   * (`INTERNAL` / `UNAVAILABLE`, retryable).
   */
  handleBatch(input: BatchInput): Promise<BatchOutcome>;
  /** Stops taking work and resolves once every accepted call has committed and resolved. */
  drain(): Promise<void>;
  /** Per-type counters and batch handling timings for /api/stats. */
  stats(): ConsumerStats;
}

export interface ConsumerStats {
  batches: number;
  transactions: number;
  messagesByType: Record<string, { accepted: number; duplicates: number; rejected: number }>;
  rejectedByCode: Record<string, number>;
  /** Batch handling durations (ms), p50 and p99 over a recent window. */
  handleMs: { p50: number; p99: number; count: number };
}

/** Delivers committed events to subscribers (in-process by default; Redis for several nodes). */
export interface EventSink {
  publish(events: ServerEvent[]): void;
}
