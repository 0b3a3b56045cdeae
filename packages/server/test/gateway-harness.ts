import fastifyWebsocket from '@fastify/websocket';
import Fastify, { type FastifyInstance } from 'fastify';
import { pino } from 'pino';
import { MemoryBroker } from '../src/broker/memory/memory-broker.js';
import { type Clock, systemClock } from '../src/clock.js';
import { parseConfig, type ServerConfig } from '../src/config.js';
import { createBatchConsumer } from '../src/consumer/batch-consumer.js';
import { Gateway } from '../src/gateway/gateway.js';
import type { Credential } from '../src/http/credential.js';
import { ServerMetrics } from '../src/metrics/server-metrics.js';
import { openTempStore, type TempStore } from './support/temp-sqlite-store.js';

export interface GatewayHarness {
  app: FastifyInstance;
  gateway: Gateway;
  metrics: ServerMetrics;
  wsUrl: string;
  stop(): Promise<void>;
}

/**
 * A real Gateway on a real Fastify listener (port 0) with a real consumer over a temp SQLite
 * store; `credentials` maps each accepted token to the Credential it stands for, so tests can
 * give one an expiry or share one between sockets, and call the gateway (closeCredential) directly.
 */
export async function startGateway(
  credentials: Record<string, Credential>,
  overrides: Partial<ServerConfig> = {},
  clock: Clock = systemClock,
): Promise<GatewayHarness> {
  const logger = pino({ level: 'silent' });
  const config: ServerConfig = { ...parseConfig({ LOG_LEVEL: 'silent' }), ...overrides };
  const temp: TempStore = await openTempStore({ now: Date.now() });
  const broker = new MemoryBroker();
  const metrics = new ServerMetrics(() => Date.now());
  const consumer = createBatchConsumer({ store: temp.store, sink: broker, logger });
  const gateway = new Gateway(
    {
      config,
      clock,
      logger,
      consumer,
      broker,
      metrics,
      authenticate: async (token) =>
        token !== undefined && Object.hasOwn(credentials, token) ? credentials[token] : undefined,
      allowedOrigins: () => new Set(),
    },
    { lastEventSeq: 0 },
  );
  const app = Fastify();
  await app.register(fastifyWebsocket, { options: { maxPayload: config.limits.maxFrameBytes } });
  await app.register(async (scope) => gateway.attach(scope));
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    app,
    gateway,
    metrics,
    wsUrl: `ws://127.0.0.1:${port}/ws`,
    async stop() {
      await gateway.closeAll();
      await app.close();
      await broker.close();
      await temp.cleanup();
    },
  };
}
