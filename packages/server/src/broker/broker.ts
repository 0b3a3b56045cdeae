import type { ServerEvent } from '@av-gym/protocol';
import type { EventSink } from '../consumer/types.js';

/** Receives every published event batch, in publish order. */
export type BrokerListener = (events: readonly ServerEvent[]) => void;

/** Receives the ids of revoked credentials (SHA-256 hex of their tokens) and why. */
export type RevocationBrokerListener = (credentialIds: readonly string[], reason: string) => void;

/**
 * Carries committed events from the consumer (the `EventSink` side) to every gateway
 * subscribed on this node or, for a shared broker such as Redis, on every node.
 *
 * Contract (see `test/contracts/broker.contract.ts`): listeners receive each published batch once, in
 * publish order, with the events unchanged; a throwing listener affects no other listener
 * and never the publisher; after `close()` nothing more is delivered.
 */
export interface Broker extends EventSink {
  /** Starts delivery to `listener`; returns a function that stops it. */
  subscribe(listener: BrokerListener): () => void;
  /**
   * Announces revoked credentials to every node's {@link onRevocation} listeners: this node's
   * synchronously, the others' as fast as the broker carries them (Redis: milliseconds; a node
   * cut off at that moment gets it once back). Optional: without it only this node's close.
   */
  publishRevocation?(credentialIds: readonly string[], reason: string): void;
  /** Starts delivery of revocations published on any node; returns a function that stops it. */
  onRevocation?(listener: RevocationBrokerListener): () => void;
  /** Resolves once the broker is connected and delivering (immediate for the memory broker). */
  ready(): Promise<void>;
  close(): Promise<void>;

  // ---- optional capabilities (the composition root tests for them) ----
  /**
   * Recent events shared by every node (Redis keeps them in a capped stream), so a node that
   * starts, or a desk that moves to another node, can resume from events this node never saw:
   * the newest gap-free run, in seq order (empty when none are kept). Absent: no shared history.
   */
  recent?(): Promise<readonly ServerEvent[]>;
  /** True while the broker is connected and delivering. Absent (the memory broker): always healthy. */
  healthy?(): boolean;
  /** Counters for `/metrics` of a broker that talks to a service. Absent: none. */
  figures?(): BrokerFigures;
}

/** Counters of a broker that keeps an outbox and reorders deliveries (Redis). */
export interface BrokerFigures {
  /** Batches waiting to be published. */
  outboxBatches: number;
  /** Batches dropped from a full outbox. */
  outboxDropped: number;
  /** Seq gaps delivery moved past. */
  gapsSkipped: number;
}
