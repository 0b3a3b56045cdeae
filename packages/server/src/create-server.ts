import os from 'node:os';
import path from 'node:path';
import { type ClientTimeWindow, may, type ServerEvent } from '@av-gym/protocol';
import fastifyWebsocket from '@fastify/websocket';
import Fastify, { type FastifyBaseLogger, type FastifyInstance, LogController } from 'fastify';
import type { Logger } from 'pino';
import { monotonicFactory } from 'ulid';
import { AlertService } from './alerts/alert-service.js';
import type { Broker } from './broker/broker.js';
import { MemoryBroker } from './broker/memory/memory-broker.js';
import { RedisBroker } from './broker/redis/redis-broker.js';
import { type Clock, type RandomSource, sleep, systemClock, systemRandom } from './clock.js';
import { defaultOrigins, type ServerConfig } from './config.js';
import { createBatchConsumer } from './consumer/batch-consumer.js';
import type { CheckInOptions } from './consumer/handlers/check-in.js';
import type { BatchConsumer, EventSink } from './consumer/types.js';
import { ForecastService } from './forecast/forecast-service.js';
import { Gateway, type GatewayDeps } from './gateway/gateway.js';
import { HistorySampler, type SampleTick } from './history/history-sampler.js';
import { registerApiRoutes } from './http/api-routes.js';
import { Authenticator } from './http/authenticator.js';
import { registerBrowserHardening } from './http/browser-hardening.js';
import { registerClubRoutes } from './http/club-routes.js';
import { HttpRefusals } from './http/http-refusals.js';
import { LoginThrottle } from './http/login-throttle.js';
import { registerMonitorRoutes } from './http/monitor-routes.js';
import { registerOpsRoutes } from './http/ops-routes.js';
import { registerReportRoutes } from './http/report-routes.js';
import { routeRevocations } from './http/revocation-routing.js';
import { markPublic, registerRouteAuth } from './http/route-auth.js';
import { registerStaffRoutes } from './http/staff-routes.js';
import { defaultDashboardDir, registerStaticFiles } from './http/static-files.js';
import { createLogger } from './logging/create-logger.js';
import { buildStats, type GatewayFigures } from './metrics/build-stats.js';
import { registerMonitorGauges } from './metrics/monitor-gauges.js';
import { PrometheusMetrics } from './metrics/prometheus.js';
import { Readiness } from './metrics/readiness.js';
import { ServerMetrics } from './metrics/server-metrics.js';
import { ReportsService } from './reports/reports-service.js';
import { checkBeforeStart, pingRedis } from './startup-checks.js';
import { GatedWriteStore } from './store/gated-write-store.js';
import { Housekeeper } from './store/housekeeping.js';
import { createPostgresStore } from './store/postgres/create-postgres-store.js';
import { createSqliteStore } from './store/sqlite/create-sqlite-store.js';
import type { WriteStore } from './store/write-store.js';

/** The file name of the SQLite database inside DATA_DIR. */
export const DATABASE_FILE = 'av-gym.sqlite';

export interface CreateServerOptions {
  /** Default: pino at `config.logLevel`. */
  logger?: Logger;
  /** Default: the system clock. */
  clock?: Clock;
  /** The randomness of backoff jitter (the Redis broker's reconnects). Default: `Math.random`. */
  random?: RandomSource;
  /** Default: PostgreSQL when `config.databaseUrl`, else SQLite at `DATA_DIR/av-gym.sqlite`. */
  store?: WriteStore;
  /** Default: Redis when `config.redisUrl`, else the in-process broker. */
  broker?: Broker;
  /** Default: the batch consumer over `store`. */
  createConsumer?(deps: {
    store: WriteStore;
    sink: EventSink;
    logger: Logger;
    clock: Clock;
    clientTimeWindow: ClientTimeWindow;
    checkIn: CheckInOptions;
  }): BatchConsumer;
  /** Shows the admin password generated at first start (default: a warn log line). */
  onAdminPasswordGenerated?(password: string): void;
  /** Time frames already on the wire get to arrive after the node stops taking sockets (default 100 ms). */
  shutdownGraceMs?: number;
}

export interface AvGymServer {
  readonly app: FastifyInstance;
  /** Staff sessions and API tokens: `disableStaff`, `setApiTokens` (SIGHUP) revoke and close sockets on every node. */
  readonly auth: Authenticator;
  /** `http://host:port` once listening. */
  readonly url: string;
  /** Initialises the store, creates the admin account if missing, and listens. Resolves to the URL. */
  listen(): Promise<string>;
  /**
   * Graceful drain (SIGTERM): `/readyz` 503 first (for `config.drain.readyDelayMs`), then no new
   * sockets, every batch received answered, clients closed with 1012 and a reconnect window
   * (`goaway`), the store closed. The deadline (`config.drain.timeoutMs`) is main.ts's to keep.
   */
  close(): Promise<void>;
  /** What this node runs on, for the start-up banner: node name, store and broker kinds. */
  describe(): {
    node: string;
    store: 'sqlite' | 'postgres' | 'custom';
    broker: 'memory' | 'redis' | 'custom';
  };
}

/**
 * Builds the server: HTTP API, WebSocket gateway at /ws and the dashboard, on one port.
 * @example
 * const server = createServer(parseConfig({ PORT: '0', DATA_DIR: dir }));
 * const url = await server.listen();
 * await server.close();
 */
export function createServer(config: ServerConfig, options: CreateServerOptions = {}): AvGymServer {
  const clock = options.clock ?? systemClock;
  const logger =
    options.logger ??
    createLogger({ level: config.logLevel, format: config.logFormat === 'pretty' ? 'pretty' : 'json' });
  // The same window bounds the event log on disk and the history in memory.
  const eventLog = { maxEvents: config.eventHistorySize, maxAgeMs: config.eventHistoryMaxAgeMs };
  const store: WriteStore =
    options.store ??
    (config.databaseUrl
      ? createPostgresStore({
          connectionString: config.databaseUrl,
          logger,
          capacity: config.gymCapacity,
          eventLog,
        })
      : createSqliteStore({
          file: path.join(config.dataDir, DATABASE_FILE),
          logger,
          capacity: config.gymCapacity,
          eventLog,
        }));
  // The store's event log fills the seqs a node committed but never published.
  const eventsBetween = store.eventsBetween?.bind(store);
  const broker: Broker =
    options.broker ??
    (config.redisUrl
      ? new RedisBroker({
          url: config.redisUrl,
          streamKey: config.redisStream,
          historyEntries: config.eventHistorySize,
          logger,
          clock,
          random: options.random ?? systemRandom,
          ...(eventsBetween ? { fillGap: eventsBetween, latestSeq: () => store.lastEventSeq() } : {}),
        })
      : new MemoryBroker({ onListenerError: (err) => logger.error({ err }, 'event listener failed') }));
  if (config.redisUrl && !config.databaseUrl && !options.store) {
    logger.warn(
      'REDIS_URL without DATABASE_URL: this node keeps its own SQLite database; run several nodes only with DATABASE_URL',
    );
  }
  const readiness = new Readiness({ store, broker, clock });
  const housekeeper = store.maintenance
    ? new Housekeeper({
        maintenance: store.maintenance,
        logger,
        clock,
        retention: config.retention,
        intervalMs: config.housekeepingIntervalMs,
        ...(store.history ? { history: store.history } : {}),
      })
    : undefined;
  // No write while its events could not reach the other nodes: answered UNAVAILABLE (retryable) instead.
  const gatedStore = new GatedWriteStore(store, () =>
    readiness.brokerUp() ? undefined : 'the event broker is unreachable',
  );
  const metrics = new ServerMetrics(() => clock.now());
  // Built in listen(), once the store's newest seq and the broker's shared history are known;
  // until then (nothing served yet) its figures are those of a gateway with no connection.
  let gateway: Gateway | undefined;
  const gatewayFigures: GatewayFigures = {
    get eventSeq() {
      return gateway?.eventSeq ?? 0;
    },
    queueDepths: () => gateway?.queueDepths() ?? { maxBytes: 0, totalBytes: 0 },
    connectedClientIds: () => gateway?.connectedClientIds() ?? new Set(),
  };
  const brokerFigures = broker.figures?.bind(broker);
  const prometheus: PrometheusMetrics = new PrometheusMetrics({
    metrics,
    consumerStats: () => consumer.stats(),
    gateway: gatewayFigures,
    ...(brokerFigures ? { brokerFigures } : {}),
    dependencies: () => readiness.last(),
    ...(housekeeper ? { storeFigures: () => housekeeper.figures() } : {}),
  });
  // The monitor's memory: every HISTORY_SAMPLE_SEC this node samples itself and every desk's
  // report into the shared history, then the alert rules run on the same readings.
  const nextAlertId = monotonicFactory();
  // Days are rolled up for the reports once no check-in can still land in them.
  const sealLagMs = config.clientTimeWindow.maxPastMs + 86_400_000;
  const reportsService = store.reports
    ? new ReportsService(store.reports, () => clock.now(), sealLagMs)
    : undefined;
  const forecasts = store.reports
    ? new ForecastService({
        reports: store.reports,
        history: store.history,
        now: () => clock.now(),
        capacityMsgsPerSec: config.alerts.forecastCapacityMsgsPerSec || null,
        sealLagMs,
      })
    : undefined;
  const alerts = new AlertService({
    thresholds: config.alerts,
    history: store.history,
    node: () => nodeName(),
    logger,
    push: (alert) => gateway?.broadcastAlert(alert),
    health: () => readiness.last(),
    sampleIntervalMs: config.historySampleIntervalMs || 10_000,
    newId: (at) => `al_${nextAlertId(at)}`,
    ...(forecasts ? { forecastPeak: () => forecasts.peakLoad() } : {}),
  });
  let lastTick: SampleTick | undefined;
  const sampler = store.history
    ? new HistorySampler({
        history: store.history,
        clock,
        logger,
        intervalMs: config.historySampleIntervalMs,
        offlineAfterMs: config.alerts.offlineAfterMs,
        sources: {
          node: () => nodeName(),
          figures: async () => {
            await readiness.check(); // database_down / broker_down read this
            const stats = consumer.stats();
            const occupancy = await store.occupancy(clock.now()).then(
              (o) => o.current,
              () => null,
            );
            return {
              messagesPerSecond: metrics.messagesIn.rates(),
              ackP50Ms: stats.handleMs.p50,
              ackP99Ms: stats.handleMs.p99,
              connections: metrics.connectionsOpen,
              queueBytes: gatewayFigures.queueDepths().totalBytes,
              eventsDropped: metrics.events.total().dropped ?? 0,
              occupancy,
            };
          },
          clientStats: () => store.listClientStats(),
          connectedDeskIds: () => gatewayFigures.connectedClientIds(),
        },
        onSample: async (tick) => {
          lastTick = tick;
          await alerts.evaluate(tick);
        },
      })
    : undefined;
  registerMonitorGauges(prometheus.registry, {
    lastTick: () => lastTick,
    capacity: config.gymCapacity,
    openAlerts: () => alerts.open(),
    offlineAfterMs: config.alerts.offlineAfterMs,
  });
  const consumer: BatchConsumer = prometheus.instrument(
    (options.createConsumer ?? ((deps) => createBatchConsumer(deps)))({
      store: gatedStore,
      sink: broker,
      logger,
      clock,
      clientTimeWindow: config.clientTimeWindow,
      checkIn: { policy: config.checkInAlerts },
    }),
  );
  const auth = new Authenticator({
    store,
    apiTokens: config.apiTokens,
    sessionTtlMs: config.sessionTtlMs,
    now: () => clock.now(),
    onListenerError: (err) => logger.error({ err }, 'revocation listener failed'),
  });
  let origins: ReadonlySet<string> = new Set(config.allowedOrigins ?? []);
  const app = Fastify({
    // Fastify's own "Server listening at" would be a second start-up banner: it logs at warn and
    // above unless this node logs at debug (main.ts prints the one banner).
    loggerInstance: (logger.levelVal >= 30 && logger.levelVal < 40
      ? logger.child({}, { level: 'warn' })
      : logger) as FastifyBaseLogger,
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: 64 * 1024,
  });
  const gatewayDeps: GatewayDeps = {
    config,
    clock,
    logger,
    consumer,
    broker,
    metrics,
    authenticate: (token) => auth.verify(token),
    allowedOrigins: () => origins,
  };
  // Logout, a disabled account, a removed API token: that credential's sockets close (4401) on every node.
  const stopRevocations = routeRevocations({
    auth,
    broker,
    closeCredential: (ids, reason) => gateway?.closeCredential(ids, reason) ?? 0,
    logger,
  });

  const refusals = new HttpRefusals();
  refusals.register(prometheus.registry);
  registerBrowserHardening(app);
  // Default-deny: a route answers without a token only when its config says `public: true`.
  registerRouteAuth(app, { check: (token) => auth.check(token), refusals });
  void app.register(fastifyWebsocket, {
    options: { maxPayload: config.limits.maxFrameBytes, perMessageDeflate: false },
    // ws closes the socket itself (e.g. 1009 for an oversized frame); cutting it here would lose that close frame.
    errorHandler: (error) => logger.debug({ err: error }, 'websocket error'),
    preClose: (done) => done(),
  });
  void app.register(async (scope) => {
    // The upgrade is public: a socket proves who it is in `hello` (closed 4401 otherwise).
    markPublic(scope, (route) => route.url === '/ws');
    // Plugins load when the app boots, inside listen(), after the gateway is built.
    if (!gateway)
      throw new Error('the gateway is built in listen(); boot the app with listen(), not app.ready()');
    gateway.attach(scope);
  });
  void app.register(async (scope) => {
    const loginThrottle = new LoginThrottle(config.loginLimits, () => clock.now());
    registerApiRoutes(scope, { store, auth, loginThrottle, refusals, now: () => clock.now() });
    registerStaffRoutes(scope, { store, auth, loginThrottle, now: () => clock.now() });
    registerClubRoutes(scope, { store, now: () => clock.now() });
    registerMonitorRoutes(scope, {
      history: store.history,
      alerts: (since, limit) => alerts.list(since, limit),
      node: () => nodeName(),
      sampleIntervalMs: config.historySampleIntervalMs || 10_000,
      now: () => clock.now(),
    });
    registerReportRoutes(scope, {
      reports: reportsService,
      forecasts,
      mayReadReports: async (token) => {
        const credential = await auth.verify(token);
        // API tokens are the deployment's own scripts; staff need a role that may read reports.
        return (
          credential !== undefined && (credential.kind === 'api' || may(credential.role, 'reports_read'))
        );
      },
    });
    registerOpsRoutes(scope, {
      metricsToken: config.metricsToken,
      statsEntryMaxBytes: config.statsEntryMaxBytes,
      metrics: async () => {
        await readiness.check(); // fresh avgym_dependency_up figures
        return prometheus.render();
      },
      readiness: () => readiness.check(),
      stats: async (fleetPage) =>
        buildStats({
          now: clock.now(),
          metrics,
          consumer: consumer.stats(),
          gateway: gatewayFigures,
          clientStats: await store.listClientStats(),
          fleetPage,
        }),
    });
  });
  registerStaticFiles(app, config.staticDir ?? defaultDashboardDir(), {
    serveSourceMaps: config.serveSourceMaps,
  });

  let url: string | undefined;
  let listeningPort: number = config.port;
  /** NODE_NAME, else hostname:port (known once listening). */
  const nodeName = (): string => config.nodeName ?? `${os.hostname()}:${listeningPort}`;
  let closing: Promise<void> | undefined;

  const shutdown = async (): Promise<void> => {
    // The balancer sees 503 first and moves new desks away while this node still serves.
    readiness.markDraining();
    if (url && config.drain.readyDelayMs > 0) {
      logger.info({ readyDelayMs: config.drain.readyDelayMs }, 'draining: /readyz answers 503');
      await sleep(clock, config.drain.readyDelayMs);
    }
    gateway?.stopAccepting();
    // Stops listening (new HTTP requests get 503); upgraded sockets are not HTTP connections and stay open.
    const httpClosed = app.close();
    await sleep(clock, options.shutdownGraceMs ?? 100);
    gateway?.refuseBatches();
    await consumer.drain();
    await gateway?.settle();
    // Every batch received is answered: the desks go, each told when to come back (1012 + goaway).
    await gateway?.restartAll({
      reconnectMinMs: config.drain.reconnectMinMs,
      reconnectMaxMs: config.drain.reconnectMaxMs,
    });
    await httpClosed;
    stopRevocations();
    await broker.close();
    await sampler?.stop();
    await housekeeper?.stop();
    await store.close();
    logger.info('server stopped');
  };

  return {
    app,
    auth,
    get url() {
      if (!url) throw new Error('the server is not listening yet; await listen() first');
      return url;
    },
    async listen() {
      // port and database first: a server that cannot start seeds nothing and prints no password
      // (the broker's ready() reads the migrated store, so it still follows init)
      await checkBeforeStart({
        host: config.host,
        port: config.port,
        pingStore: () => store.ping(),
        // an injected broker is the caller's; the Redis one is asked before anything is seeded
        ...(config.redisUrl && !options.broker ? { pingBroker: () => pingRedis(config.redisUrl!) } : {}),
      });
      await store.init({
        seedDemo: config.seedDemo,
        seedHistoryDays: config.seedHistoryDays,
        now: clock.now(),
      });
      const generated = await auth.ensureAdmin(config.adminPassword);
      // the variable only seeds the first admin: say so rather than ignore a changed one in silence
      if (config.adminPassword !== undefined && !(await auth.passwordMatches('admin', config.adminPassword)))
        logger.warn(
          { username: 'admin' },
          'AV_GYM_ADMIN_PASSWORD differs from the existing admin password, which is kept: it only sets the first one. To change it: npm run admin -- reset-password admin --password-stdin',
        );
      if (generated) {
        if (options.onAdminPasswordGenerated) options.onAdminPasswordGenerated(generated);
        else
          logger.warn(
            { username: 'admin', password: generated },
            'admin account created with a generated password',
          );
      }
      // What the broker delivers while this node starts (other nodes keep committing) is kept for
      // the gateway's history: without it the history would have a hole between the shared run read
      // below and the gateway's own subscription, and a desk resuming here across it would be
      // refused its resume. Bounded like the history itself.
      const early: ServerEvent[] = [];
      const stopEarly = broker.subscribe((events) => {
        for (const e of events) early.push(e);
        if (early.length > config.eventHistorySize) early.splice(0, early.length - config.eventHistorySize);
      });
      try {
        await broker.ready();
      } catch (error) {
        stopEarly();
        throw error;
      }
      // The shared history first (Redis), else the store's event log, then the store's seq: events
      // in either are never newer than it. So desks resume across a restart of any node.
      let recent = (await broker.recent?.()) ?? [];
      if (recent.length === 0 && store.recentEvents) recent = await store.recentEvents(clock.now());
      const lastEventSeq = await store.lastEventSeq();
      const newest = recent[recent.length - 1];
      if (newest && newest.seq > lastEventSeq) {
        logger.error(
          { streamSeq: newest.seq, lastEventSeq },
          'the Redis stream holds events of another database; ignoring it (give each database its own REDIS_STREAM)',
        );
      }
      // The gateway subscribes to the broker as it is built: with `early` appended in the same
      // tick, its history runs on without a hole.
      gateway = new Gateway(gatewayDeps, {
        lastEventSeq,
        recent: newest && newest.seq <= lastEventSeq ? recent : [],
        early,
      });
      stopEarly();
      housekeeper?.start();
      await app.listen({ port: config.port, host: config.host });
      const address = app.server.address();
      const port = typeof address === 'object' && address ? address.port : config.port;
      listeningPort = port;
      const host = config.host.includes(':') ? `[${config.host}]` : config.host;
      url = `http://${host}:${port}`;
      origins = new Set(config.allowedOrigins ?? defaultOrigins(config.host, port));
      sampler?.start();
      logger.debug({ url }, 'server listening');
      return url;
    },
    close() {
      closing ??= shutdown();
      return closing;
    },
    describe() {
      return {
        node: nodeName(),
        store: options.store ? 'custom' : config.databaseUrl ? 'postgres' : 'sqlite',
        broker: options.broker ? 'custom' : config.redisUrl ? 'redis' : 'memory',
      };
    },
  };
}
