import { CLOSE_CODES, type ServerEvent } from '@av-gym/protocol';
import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import type { Broker } from '../broker/broker.js';
import type { ServerConfig } from '../config.js';
import type { BatchConsumer } from '../consumer/types.js';
import type { ServerMetrics } from '../metrics/server-metrics.js';
import type { Clock } from './clock.js';
import { Connection } from './connection.js';
import { EventFanout } from './event-fanout.js';
import { EventHistory } from './event-history.js';
import { OutboundBudget } from './outbound-budget.js';

export interface GatewayDeps {
  config: ServerConfig;
  clock: Clock;
  logger: Logger;
  consumer: BatchConsumer;
  broker: Broker;
  metrics: ServerMetrics;
  authenticate(token: string | undefined): Promise<boolean>;
  /** The origins allowed now (computed once the port is known). */
  allowedOrigins(): ReadonlySet<string>;
}

/** Outbound queue figures over every connection. */
export interface QueueDepths {
  maxBytes: number;
  totalBytes: number;
}

/**
 * The WebSocket side of the server: `/ws` with its Origin check, the live connections,
 * event history for resume, and the per-tick fan-out of broker events.
 */
export class Gateway {
  private historyNow: EventHistory;
  readonly fanout: EventFanout;
  private readonly outboundBudget: OutboundBudget;
  private readonly connections = new Set<Connection>();
  private readonly inFlight = new Set<Promise<unknown>>();
  private unsubscribe: (() => void) | undefined;
  private acceptingConnections = true;
  private acceptingBatches = true;

  constructor(
    private readonly deps: GatewayDeps,
    lastEventSeq: number,
  ) {
    this.historyNow = new EventHistory(deps.config.eventHistorySize, lastEventSeq);
    this.outboundBudget = new OutboundBudget(deps.config.outboundBudgetBytes);
    this.fanout = new EventFanout({
      onFlush: ({ deliveries }) => deps.metrics.events.add('delivered', deliveries),
    });
  }

  /** The events kept for resume. */
  get history(): EventHistory {
    return this.historyNow;
  }

  /**
   * Starts the history after `lastEventSeq` (the store's, read at start); call before listening.
   * `recent` (a shared history, e.g. the Redis stream) pre-fills it so desks can resume here
   * from events this node never saw; events the broker delivered before this call are kept.
   */
  startAt(lastEventSeq: number, recent: readonly ServerEvent[] = []): void {
    const size = this.deps.config.eventHistorySize;
    const first = recent[0];
    const history = new EventHistory(size, first ? first.seq - 1 : lastEventSeq);
    history.append(recent);
    const early = this.historyNow.since(this.historyNow.lastSeq - this.historyNow.length);
    if (early) history.append(early);
    this.historyNow = history;
  }

  /** The newest event seq seen. */
  get eventSeq(): number {
    return this.historyNow.lastSeq;
  }

  /** Connections open now. */
  get size(): number {
    return this.connections.size;
  }

  /** Client ids of the sessions open now. */
  connectedClientIds(): Set<string> {
    const ids = new Set<string>();
    for (const c of this.connections) if (c.isOpen) ids.add(c.clientId);
    return ids;
  }

  queueDepths(): QueueDepths {
    let maxBytes = 0;
    let totalBytes = 0;
    for (const c of this.connections) {
      const b = c.queuedBytes;
      totalBytes += b;
      if (b > maxBytes) maxBytes = b;
    }
    return { maxBytes, totalBytes };
  }

  /** Subscribes to the broker and registers `/ws` on the app (needs @fastify/websocket registered). */
  attach(app: FastifyInstance): void {
    this.unsubscribe = this.deps.broker.subscribe((events) => this.onEvents(events));
    app.route({
      method: 'GET',
      url: '/ws',
      preValidation: async (request, reply) => {
        if (!this.acceptingConnections) return reply.code(503).send({ error: 'server is shutting down' });
        const origin = request.headers.origin;
        if (origin !== undefined && !this.deps.allowedOrigins().has(origin)) {
          this.deps.logger.warn({ origin }, 'websocket origin refused');
          this.deps.metrics.closed(CLOSE_CODES.ORIGIN_REFUSED);
          return reply.code(403).send({ error: `origin ${origin} is not allowed; see ALLOWED_ORIGINS` });
        }
        return undefined;
      },
      handler: (_request, reply) => reply.code(426).send({ error: 'use a WebSocket upgrade on /ws' }),
      wsHandler: (socket) => {
        const connection = new Connection(socket, {
          ...this.deps,
          history: this.history,
          fanout: this.fanout,
          outboundBudget: this.outboundBudget,
          draining: () => !this.acceptingBatches,
          track: (work) => {
            this.inFlight.add(work);
            void work.finally(() => this.inFlight.delete(work));
          },
          onClosed: (c) => {
            if (this.connections.delete(c)) this.deps.metrics.connectionsOpen--;
          },
        });
        this.connections.add(connection);
        this.deps.metrics.connectionsOpen++;
        this.deps.metrics.connectionsTotal++;
      },
    });
  }

  /** Refuses new connections from here on; open sessions keep working. */
  stopAccepting(): void {
    this.acceptingConnections = false;
  }

  /** Answers new batches with UNAVAILABLE from here on (shutdown). */
  refuseBatches(): void {
    this.acceptingConnections = false;
    this.acceptingBatches = false;
  }

  /** Resolves once every batch handed to the consumer has been answered. */
  async settle(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
    this.fanout.flush();
  }

  /** Closes every connection with `code` and waits (bounded) for them to go. */
  async closeAll(code: number = CLOSE_CODES.GOING_AWAY, reason = 'server shutting down', waitMs = 1000) {
    for (const c of this.connections) c.close(code, reason);
    const started = this.deps.clock.now();
    while (this.connections.size > 0 && this.deps.clock.now() - started < waitMs) {
      await new Promise((r) => setTimeout(r, 10));
    }
    this.unsubscribe?.();
  }

  private onEvents(events: readonly ServerEvent[]): void {
    this.history.append(events);
    this.deps.metrics.events.add('published', events.length);
    this.fanout.publish(events);
  }
}
