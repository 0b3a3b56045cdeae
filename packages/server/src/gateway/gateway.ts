import { type Alert, CLOSE_CODES, type ServerEvent } from '@av-gym/protocol';
import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import type { WebSocket } from 'ws';
import type { Broker } from '../broker/broker.js';
import { type Clock, sleep } from '../clock.js';
import type { ServerConfig } from '../config.js';
import type { BatchConsumer } from '../consumer/types.js';
import type { Credential } from '../http/credential.js';
import type { RefusalReason, ServerMetrics } from '../metrics/server-metrics.js';
import { AddressSlots } from './address-slots.js';
import { Connection } from './connection.js';
import { CredentialRegistry } from './credential-registry.js';
import { encodeFrame } from './encode.js';
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
  /** The credential a `hello` token stands for, else undefined (closed 4401). */
  authenticate(token: string | undefined): Promise<Credential | undefined>;
  /** The origins allowed now (computed once the port is known). */
  allowedOrigins(): ReadonlySet<string>;
}

/** Where the gateway's resume history begins; both read before the gateway is built. */
export interface GatewayStart {
  /** The store's newest committed seq. */
  lastEventSeq: number;
  /**
   * A shared history (e.g. the Redis stream): its newest gap-free run, none newer than
   * `lastEventSeq`. Pre-fills the history so desks can resume here from events this node never saw.
   */
  recent?: readonly ServerEvent[];
  /**
   * Events the broker delivered while the node started (after it was ready, before this gateway
   * subscribed), in delivery order: appended after `recent`, ones already held skipped.
   */
  early?: readonly ServerEvent[];
}

/** Time a refused socket gets to finish its close handshake before it is cut. */
const REFUSED_CLOSE_GRACE_MS = 2000;
/**
 * The window a refused socket is told to come back in (`goaway` before 1013): a fleet that
 * returns at once after a restart is spread over it by the node instead of by each client's
 * backoff, and no refusal counts as a failed attempt on the client.
 */
export const REFUSED_RECONNECT_WINDOW = { reconnectMinMs: 250, reconnectMaxMs: 3_000 } as const;

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
  /** The events kept for resume. */
  readonly history: EventHistory;
  readonly fanout: EventFanout;
  private readonly outboundBudget: OutboundBudget;
  private readonly connections = new Set<Connection>();
  /** Sockets not yet past `hello`, by remote address (MAX_PREAUTH_PER_IP). */
  private readonly preAuth: AddressSlots;
  private readonly credentials: CredentialRegistry<Connection>;
  private readonly inFlight = new Set<Promise<unknown>>();
  private unsubscribe: (() => void) | undefined;
  private acceptingConnections = true;
  private acceptingBatches = true;

  constructor(
    private readonly deps: GatewayDeps,
    start: GatewayStart,
  ) {
    const recent = start.recent ?? [];
    const first = recent[0];
    this.history = new EventHistory(deps.config.eventHistorySize, first ? first.seq - 1 : start.lastEventSeq);
    this.history.append(recent);
    if (start.early) this.history.append(start.early);
    this.outboundBudget = new OutboundBudget(deps.config.outboundBudgetBytes);
    const { config } = deps;
    this.preAuth = new AddressSlots(config.maxPreAuthPerIp);
    this.credentials = new CredentialRegistry(
      {
        framesPerSec: config.credentialFrameRatePerSec,
        frameBurst: config.credentialFrameBurst,
        messagesPerSec: config.credentialRateLimitPerSec,
        messageBurst: config.credentialRateBurst,
      },
      () => deps.clock.now(),
    );
    this.fanout = new EventFanout({
      onFlush: ({ deliveries }) => deps.metrics.events.add('delivered', deliveries),
    });
    // Subscribed now, not at attach(): events between this and the app's boot reach the history.
    this.unsubscribe = deps.broker.subscribe((events) => this.onEvents(events));
  }

  /** The newest event seq seen. */
  get eventSeq(): number {
    return this.history.lastSeq;
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

  /** Sends an alert to every session subscribed to `alerts`; the frame is encoded once. Returns how many got it. */
  broadcastAlert(alert: Alert): number {
    const data = encodeFrame({ type: 'alert', alert });
    let sent = 0;
    for (const c of this.connections) {
      if (!c.isOpen || !c.wantsAlerts) continue;
      c.pushAlert(data);
      sent++;
    }
    return sent;
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

  /**
   * Lets go of the upgrade's HTTP objects, which would otherwise live as long as the socket
   * (issue 15, memory per connection): @fastify/websocket's error listener closes over fastify's
   * Request and Reply, and the TCP socket keeps the ServerResponse it was assigned (with it the
   * IncomingMessage and its headers). Ours logs and terminates as the plugin's default did.
   */
  private forgetUpgrade(socket: WebSocket): void {
    socket.removeAllListeners('error');
    const logger = this.deps.logger;
    socket.on('error', (err) => {
      logger.error({ err }, 'websocket error');
      socket.terminate();
    });
    const raw = (socket as unknown as { _socket?: { _httpMessage?: unknown } })._socket;
    if (raw && '_httpMessage' in raw) raw._httpMessage = null;
  }

  /** Registers `/ws` on the app (needs @fastify/websocket registered); the broker is subscribed already. */
  attach(app: FastifyInstance): void {
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
      wsHandler: (socket, request) => {
        const address = request.ip;
        this.forgetUpgrade(socket);
        if (this.connections.size >= this.deps.config.maxConnections) {
          this.refuse(socket, 'node_cap', 'this node is at its connection limit; try again later');
          return;
        }
        if (!this.preAuth.tryTake(address)) {
          this.refuse(
            socket,
            'preauth_per_ip',
            'too many sockets from this address before hello; try again later',
          );
          return;
        }
        let holdsSlot = true;
        const connection = new Connection(socket, {
          ...this.deps,
          history: this.history,
          fanout: this.fanout,
          outboundBudget: this.outboundBudget,
          credentials: this.credentials,
          draining: () => !this.acceptingBatches,
          track: (work) => {
            this.inFlight.add(work);
            void work.finally(() => this.inFlight.delete(work));
          },
          onTransition: (_c, _from, to) => {
            if (holdsSlot && (to === 'open' || to === 'closed')) {
              holdsSlot = false;
              this.preAuth.release(address);
            }
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

  /**
   * Closes every open connection of these credentials with 4401 (logout, expiry, disabled
   * account, removed API token); returns how many were closed.
   */
  closeCredential(credentialIds: readonly string[], reason: string): number {
    let closed = 0;
    for (const id of credentialIds) {
      for (const c of this.credentials.membersOf(id)) {
        c.close(CLOSE_CODES.UNAUTHENTICATED, reason);
        closed++;
      }
    }
    return closed;
  }

  /** Credentials with an open connection now. */
  get credentialCount(): number {
    return this.credentials.size;
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
    await this.waitClosed(waitMs);
  }

  /**
   * The drain's last step: every connection gets a `goaway` with the reconnect window, then close
   * `1012`; waits (bounded) for them to go.
   */
  async restartAll(hint: { reconnectMinMs: number; reconnectMaxMs: number }, waitMs = 1000): Promise<void> {
    for (const c of this.connections) c.restart(hint);
    await this.waitClosed(waitMs);
  }

  private async waitClosed(waitMs: number): Promise<void> {
    const started = this.deps.clock.now();
    while (this.connections.size > 0 && this.deps.clock.now() - started < waitMs) {
      await sleep(this.deps.clock, 10);
    }
    this.unsubscribe?.();
  }

  /**
   * Closes a socket at once with 1013 (TRY_AGAIN_LATER), before any frame is read, after a
   * `goaway` with {@link REFUSED_RECONNECT_WINDOW}: the node paces a reconnect storm.
   */
  private refuse(socket: WebSocket, reason: RefusalReason, message: string): void {
    const { metrics, clock } = this.deps;
    metrics.refused(reason);
    metrics.reject('TRY_AGAIN_LATER');
    metrics.closed(CLOSE_CODES.TRY_AGAIN_LATER);
    const cut = clock.setTimeout(() => socket.terminate(), REFUSED_CLOSE_GRACE_MS);
    socket.once('close', () => clock.clearTimeout(cut));
    socket.on('error', () => {});
    socket.send(JSON.stringify({ type: 'goaway', ...REFUSED_RECONNECT_WINDOW }));
    socket.close(CLOSE_CODES.TRY_AGAIN_LATER, message);
  }

  private onEvents(events: readonly ServerEvent[]): void {
    this.history.append(events);
    this.deps.metrics.events.add('published', events.length);
    this.fanout.publish(events);
  }
}
