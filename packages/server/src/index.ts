/**
 * The AV-Gym realtime server: gateway (WebSocket at /ws), HTTP API, batch consumer, store
 * and broker, on one port.
 * @example
 * import { createServer, parseConfig } from '@av-gym/server';
 * const server = createServer(parseConfig({ PORT: '0', DATA_DIR: '/tmp/gym' }));
 * console.log(await server.listen());
 */
export type { Broker, BrokerFigures, BrokerListener } from './broker/broker.js';
export { MemoryBroker, type MemoryBrokerOptions } from './broker/memory/memory-broker.js';
export { RedisBroker, type RedisBrokerOptions } from './broker/redis/redis-broker.js';
export { type Clock, type RandomSource, systemClock, systemRandom } from './clock.js';
export {
  ConfigError,
  DEFAULT_OUTBOUND_BUDGET_BYTES,
  defaultOrigins,
  parseConfig,
  type ServerConfig,
} from './config.js';
export { type BatchConsumerOptions, createBatchConsumer } from './consumer/batch-consumer.js';
export type { BatchConsumer, BatchInput, BatchOutcome, ConsumerStats, EventSink } from './consumer/types.js';
export {
  type AvGymServer,
  type CreateServerOptions,
  createServer,
  DATABASE_FILE,
} from './create-server.js';
export {
  ForecastService,
  type ForecastServiceOptions,
  forecastSeries,
  occupancySeries,
} from './forecast/forecast-service.js';
export {
  type BacktestResult,
  backtest,
  fitHoltWinters,
  forecastHoltWinters,
  mape,
} from './forecast/holt-winters.js';
export { hashPassword, verifyPassword } from './http/password.js';
export { PrometheusMetrics } from './metrics/prometheus.js';
export type { ReportRange, ReportStore } from './reports/report-store.js';
export { ReportsService } from './reports/reports-service.js';
export {
  createPostgresStore,
  PostgresStore,
  type PostgresStoreOptions,
} from './store/postgres/create-postgres-store.js';
export { createSqliteStore, type SqliteStoreOptions } from './store/sqlite/create-sqlite-store.js';
export type { ClientStatsRow, Occupancy, SessionRow, StaffRow, Store, Visit } from './store/store.js';
export type { WriteStore } from './store/write-store.js';
