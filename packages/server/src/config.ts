import {
  CHECK_IN_ALERT_TYPES,
  type ClientTimeWindow,
  DEFAULT_LIMITS,
  HELLO_TIMEOUT_MS,
  type Limits,
} from '@av-gym/protocol';
import * as z from 'zod';
import type { AlertThresholds } from './alerts/alert-rules.js';
import type { CheckInAlertPolicy } from './consumer/handlers/check-in-alerts.js';
import type { LoginLimits } from './http/login-throttle.js';
import { LOG_FORMATS, type LogFormat } from './logging/create-logger.js';
import type { RetentionPolicy } from './store/housekeeping.js';

/** Outbound bytes all connections together may hold queued before slow readers are closed (4508). */
export const DEFAULT_OUTBOUND_BUDGET_BYTES = 32 * 1024 * 1024;

/** Everything the server needs to start; `parseConfig` builds it from the environment. */
export interface ServerConfig {
  /** TCP port (default 8080; 0 picks a free one). */
  port: number;
  /** Interface to bind (default 127.0.0.1). */
  host: string;
  /** PostgreSQL connection string; when set the store is PostgreSQL instead of SQLite. */
  databaseUrl: string | undefined;
  /** Redis URL; when set events go through Redis so several nodes act as one. */
  redisUrl: string | undefined;
  /** The Redis stream key the nodes of one gym share (default `av-gym:events`). */
  redisStream: string;
  /** Folder of the SQLite file `av-gym.sqlite` (default ./data). */
  dataDir: string;
  /** API tokens accepted in `hello` and as `Authorization: Bearer`. */
  apiTokens: string[];
  /** A file of more API tokens (one per line); main.ts re-reads it on SIGHUP, revoking removed ones. */
  apiTokensFile: string | undefined;
  /** Password of the staff account `admin` when it is created; generated and printed once when unset. */
  adminPassword: string | undefined;
  /** Browser origins allowed on /ws; undefined: the server's own origin and its localhost variants. */
  allowedOrigins: string[] | undefined;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  /** LOG_FORMAT: `auto` (default: pretty on a terminal, JSON otherwise), `json` or `pretty`. */
  logFormat: LogFormat;
  /** NODE_NAME: this node's name in history, alerts and the monitor; undefined: `hostname:port`. */
  nodeName: string | undefined;
  /** HISTORY_SAMPLE_SEC: the period of history samples and alert evaluation (default 10 s; 0: off). */
  historySampleIntervalMs: number;
  /** ALERT_* variables: when each alert rule fires. */
  alerts: AlertThresholds;
  /** People the gym holds at once (occupancy.capacity). */
  gymCapacity: number;
  /** CHECKIN_BLOCKING_ALERTS and PASSBACK_MINUTES: which check-in alerts refuse, and the pass-back window. */
  checkInAlerts: CheckInAlertPolicy;
  /** Seed a demo gym into an empty database. */
  seedDemo: boolean;
  /** SEED_HISTORY: days of visit history the demo seed writes for its three clubs (0: none). Default 365. */
  seedHistoryDays: number;
  /** Per-connection token bucket: logical messages per second and burst size. */
  rateLimitPerSec: number;
  rateLimitBurst: number;
  /** Per-connection token bucket of frames (every frame: pings, subscribes, batches, ...) per second and burst. */
  frameRateLimitPerSec: number;
  frameRateBurst: number;
  /** Token buckets all connections of one credential share: logical messages and frames per second, bursts. */
  credentialRateLimitPerSec: number;
  credentialRateBurst: number;
  credentialFrameRatePerSec: number;
  credentialFrameBurst: number;
  /** Connections this node holds at once; more are closed with 1013 right after the upgrade. */
  maxConnections: number;
  /** Sockets of one IP address not yet past `hello`; more are closed with 1013 right after the upgrade. */
  maxPreAuthPerIp: number;
  /** Time a new connection has to send `hello` (default 5000 ms). */
  helloTimeoutMs: number;
  /** How far a client-given `at` may lie from the server clock: 5 min ahead, 7 days behind by default. */
  clientTimeWindow: ClientTimeWindow;
  /** Wire limits announced in `welcome`. */
  limits: Limits;
  /** Outbound bytes (socket buffer + pending) past which droppable events are shed. */
  outboundSoftBytes: number;
  /** Outbound bytes past which a slow reader is closed with 4508. */
  outboundHardBytes: number;
  /** Outbound bytes of all connections together past which any reader behind its soft limit is closed with 4508. */
  outboundBudgetBytes: number;
  /** Events kept for `resume`, in memory and in the store's event log (EVENT_HISTORY_SIZE, default 10,000). */
  eventHistorySize: number;
  /** Events older than this are not replayed and leave the event log (EVENT_HISTORY_MAX_AGE_HOURS, default 24 h). */
  eventHistoryMaxAgeMs: number;
  /** How a node drains on SIGTERM (DRAIN_* variables). */
  drain: DrainConfig;
  /** Lifetime of a staff session token (default 12 h). */
  sessionTtlMs: number;
  /** Folder of the built dashboard; undefined: apps/dashboard/dist when it exists. */
  staticDir: string | undefined;
  /** Failed-login waits per username and per IP (LOGIN_* variables). */
  loginLimits: LoginLimits;
  /** When set, `/metrics` needs `Authorization: Bearer <metricsToken>`; unset: `/metrics` is open. */
  metricsToken: string | undefined;
  /** Serve the dashboard's `*.map` files (default false: they answer 404). */
  serveSourceMaps: boolean;
  /** A desk's `client_stats` larger than this (serialised) is left out of `/api/stats` (default 4096). */
  statsEntryMaxBytes: number;
  /** How long idempotency records and desk stats are kept, and the desk stats row cap. */
  retention: RetentionPolicy;
  /** Time between housekeeping passes (retention deletes, WAL truncation, row counts); 0: none. */
  housekeepingIntervalMs: number;
}

/** The graceful drain (docs/operations.md): readiness first, then sockets, then exit. */
export interface DrainConfig {
  /** Time `/readyz` answers 503 before the node stops taking sockets, so a balancer moves away (default 0). */
  readyDelayMs: number;
  /** The drain's deadline: past it the process exits anyway (default 30 s). */
  timeoutMs: number;
  /** The reconnect window sent to clients with close 1012: each picks a delay in it at random (default 500-5000 ms). */
  reconnectMinMs: number;
  reconnectMaxMs: number;
}

/** A bad environment value: `message` is one line naming the variable and what to change. */
export class ConfigError extends Error {
  readonly variable: string;
  constructor(variable: string, message: string) {
    super(message);
    this.name = 'ConfigError';
    this.variable = variable;
  }
}

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

const intIn = (min: number, max: number) =>
  z.coerce
    .number({ error: 'expected a whole number' })
    .int('expected a whole number')
    .min(min, `expected ${min} or more`)
    .max(max, `expected ${max} or less`);
const list = z.string().transform((s) =>
  s
    .split(',')
    .map((x) => x.trim())
    .filter((x) => x.length > 0),
);
const flag = z
  .string()
  .trim()
  .toLowerCase()
  .pipe(z.enum(['1', '0', 'true', 'false', 'yes', 'no']))
  .transform((v) => v === '1' || v === 'true' || v === 'yes');

/** Each variable, its schema, and the advice printed when its value is bad. */
const VARIABLES = {
  PORT: { schema: intIn(0, 65535), fallback: '8080', advice: 'set PORT to a TCP port, 0-65535' },
  HOST: { schema: z.string().trim().min(1), fallback: '127.0.0.1', advice: 'set HOST to an address to bind' },
  DATA_DIR: { schema: z.string().trim().min(1), fallback: './data', advice: 'set DATA_DIR to a folder path' },
  AV_GYM_TOKENS: {
    schema: list.pipe(z.array(z.string().min(16, 'each token needs at least 16 characters'))),
    fallback: '',
    advice: 'set AV_GYM_TOKENS to comma-separated tokens of 16+ characters',
  },
  AV_GYM_TOKENS_FILE: {
    schema: z.string().trim().min(1).optional(),
    fallback: undefined,
    advice: 'set AV_GYM_TOKENS_FILE to the path of a file with one API token per line, or unset it',
  },
  AV_GYM_ADMIN_PASSWORD: {
    schema: z.string().min(8, 'needs at least 8 characters').optional(),
    fallback: undefined,
    advice: 'set AV_GYM_ADMIN_PASSWORD to 8+ characters, or unset it to get a generated one',
  },
  ALLOWED_ORIGINS: {
    schema: list
      .pipe(z.array(z.url().refine((u) => /^https?:\/\//.test(u), 'must start with http:// or https://')))
      .optional(),
    fallback: undefined,
    advice: 'set ALLOWED_ORIGINS to comma-separated origins like http://desk.example:8080',
  },
  LOG_LEVEL: {
    schema: z.enum(LOG_LEVELS),
    fallback: 'info',
    advice: `set LOG_LEVEL to ${LOG_LEVELS.join('|')}`,
  },
  LOG_FORMAT: {
    schema: z.enum(LOG_FORMATS as [LogFormat, ...LogFormat[]]),
    fallback: 'auto',
    advice: 'set LOG_FORMAT to auto (pretty on a terminal, JSON otherwise), json or pretty',
  },
  NODE_NAME: {
    schema: z
      .string()
      .trim()
      .regex(/^[\w:.-]{1,64}$/, 'expected 1-64 letters, digits and : . - _')
      .optional(),
    fallback: undefined,
    advice:
      'set NODE_NAME to a short name such as node-a (letters, digits, : . - _), or unset it for hostname:port',
  },
  HISTORY_SAMPLE_SEC: {
    schema: intIn(0, 3_600),
    fallback: '10',
    advice:
      'set HISTORY_SAMPLE_SEC to the seconds between history samples and alert checks (0 turns them off, max 3600)',
  },
  ALERT_QUALITY_MIN: {
    schema: intIn(0, 100),
    fallback: '50',
    advice:
      'set ALERT_QUALITY_MIN to the desk quality score (0-100) below which the desk_quality_low alert counts',
  },
  ALERT_QUALITY_FOR_SEC: {
    schema: intIn(0, 86_400),
    fallback: '120',
    advice:
      'set ALERT_QUALITY_FOR_SEC to the seconds a desk stays below ALERT_QUALITY_MIN before the alert fires (0-86400)',
  },
  ALERT_OFFLINE_AFTER_SEC: {
    schema: intIn(1, 86_400),
    fallback: '90',
    advice:
      'set ALERT_OFFLINE_AFTER_SEC to the seconds without a socket or a client_stats report after which a desk is offline (1-86400)',
  },
  ALERT_ACK_P99_MS: {
    schema: intIn(1, 600_000),
    fallback: '1000',
    advice: 'set ALERT_ACK_P99_MS to the batch ack p99 in ms above which ack_p99_high counts (1-600000)',
  },
  ALERT_RECONNECTS: {
    schema: intIn(1, 1_000_000),
    fallback: '5',
    advice:
      'set ALERT_RECONNECTS to the reconnects one desk reports in its quality window that make a reconnect storm (1-1000000)',
  },
  ALERT_DROP_RATE_PERCENT: {
    schema: intIn(1, 100),
    fallback: '5',
    advice:
      'set ALERT_DROP_RATE_PERCENT to the lost-message percent of a desk above which drop_rate_high counts (1-100)',
  },
  ALERT_QUEUE_BYTES: {
    schema: intIn(1, 1_073_741_824),
    fallback: '4194304',
    advice:
      'set ALERT_QUEUE_BYTES to the outbound bytes queued on this node above which outbound_queue_high counts',
  },
  ALERT_FOR_SEC: {
    schema: intIn(0, 86_400),
    fallback: '30',
    advice: 'set ALERT_FOR_SEC to the seconds any other condition must hold before its alert fires (0-86400)',
  },
  FORECAST_CAPACITY_MSGS_PER_SEC: {
    schema: intIn(0, 100_000_000),
    fallback: '0',
    advice:
      "set FORECAST_CAPACITY_MSGS_PER_SEC to the messages/s this deployment takes (from the bench's measured ingest); 0 turns forecast_load_high off",
  },
  GYM_CAPACITY: { schema: intIn(1, 100_000), fallback: '120', advice: 'set GYM_CAPACITY to 1-100000' },
  CHECKIN_BLOCKING_ALERTS: {
    // `none` makes every alert informational (an empty value means the default, as everywhere).
    schema: list.pipe(z.array(z.enum([...CHECK_IN_ALERT_TYPES, 'none']))),
    fallback: 'expired,frozen',
    advice: `set CHECKIN_BLOCKING_ALERTS to a comma-separated list of ${CHECK_IN_ALERT_TYPES.join(', ')} (or none)`,
  },
  PASSBACK_MINUTES: {
    schema: intIn(0, 1440),
    fallback: '10',
    advice:
      'set PASSBACK_MINUTES to the minutes after a check-in within which another one is a pass-back (0-1440; 0: off)',
  },
  SEED_DEMO: { schema: flag, fallback: '1', advice: 'set SEED_DEMO to 1 or 0' },
  SEED_HISTORY: {
    schema: intIn(0, 3650),
    fallback: '365',
    advice: 'set SEED_HISTORY to the days of demo visit history to seed (0-3650; 0: none)',
  },
  DATABASE_URL: {
    schema: z
      .string()
      .trim()
      .refine((u) => /^postgres(ql)?:\/\/[^\s]+$/.test(u), 'must be a postgres:// URL')
      .optional(),
    fallback: undefined,
    advice: 'set DATABASE_URL to postgres://user:password@host:5432/database, or unset it for SQLite',
  },
  REDIS_URL: {
    schema: z
      .string()
      .trim()
      .refine((u) => /^rediss?:\/\/[^\s]+$/.test(u), 'must be a redis:// URL')
      .optional(),
    fallback: undefined,
    advice: 'set REDIS_URL to redis://host:6379, or unset it for the in-process broker (one node)',
  },
  REDIS_STREAM: {
    schema: z
      .string()
      .trim()
      .regex(/^[\w:.-]{1,200}$/, 'expected letters, digits and : . - _'),
    fallback: 'av-gym:events',
    advice: 'set REDIS_STREAM to a key name such as av-gym:events (one per database)',
  },
  RATE_LIMIT_PER_SEC: {
    schema: intIn(1, 10_000_000),
    fallback: '20000',
    advice: 'set RATE_LIMIT_PER_SEC to messages per second per connection (1-10000000)',
  },
  CLIENT_TIME_MAX_FUTURE_MS: {
    schema: intIn(0, 86_400_000),
    fallback: '300000',
    advice:
      'set CLIENT_TIME_MAX_FUTURE_MS to how far ahead of server time a check-in `at` may be, in ms (0-86400000)',
  },
  CLIENT_TIME_MAX_PAST_MS: {
    schema: intIn(0, 31_622_400_000),
    fallback: '604800000',
    advice:
      'set CLIENT_TIME_MAX_PAST_MS to how far behind server time a check-in `at` may be, in ms (0-31622400000)',
  },
  FRAME_RATE_PER_SEC: {
    schema: intIn(1, 10_000_000),
    fallback: '1000',
    advice: 'set FRAME_RATE_PER_SEC to frames per second per connection (1-10000000)',
  },
  CREDENTIAL_RATE_PER_SEC: {
    schema: intIn(1, 100_000_000),
    fallback: '20000',
    advice:
      'set CREDENTIAL_RATE_PER_SEC to messages per second of all connections of one token (1-100000000)',
  },
  CREDENTIAL_FRAME_RATE_PER_SEC: {
    schema: intIn(1, 100_000_000),
    fallback: '10000',
    advice:
      'set CREDENTIAL_FRAME_RATE_PER_SEC to frames per second of all connections of one token (1-100000000)',
  },
  MAX_CONNECTIONS: {
    schema: intIn(1, 1_000_000),
    fallback: '10000',
    advice: 'set MAX_CONNECTIONS to the WebSocket connections one node holds (1-1000000)',
  },
  MAX_PREAUTH_PER_IP: {
    schema: intIn(1, 1_000_000),
    fallback: '32',
    advice: 'set MAX_PREAUTH_PER_IP to the sockets one address may hold before hello (1-1000000)',
  },
  HELLO_TIMEOUT_MS: {
    schema: intIn(100, 60_000),
    fallback: String(HELLO_TIMEOUT_MS),
    advice: 'set HELLO_TIMEOUT_MS to the ms a new socket has to log in before 4408 (100-60000)',
  },
  LOGIN_MAX_FAILURES: {
    schema: intIn(1, 1000),
    fallback: '5',
    advice: 'set LOGIN_MAX_FAILURES to failed logins per username before a wait (1-1000)',
  },
  LOGIN_MAX_FAILURES_PER_IP: {
    schema: intIn(1, 100_000),
    fallback: '20',
    advice: 'set LOGIN_MAX_FAILURES_PER_IP to failed logins per IP address before a wait (1-100000)',
  },
  LOGIN_LOCKOUT_MS: {
    schema: intIn(1, 3_600_000),
    fallback: '1000',
    advice: 'set LOGIN_LOCKOUT_MS to the first wait in ms (1-3600000); it doubles with each further failure',
  },
  LOGIN_MAX_LOCKOUT_MS: {
    schema: intIn(1, 86_400_000),
    fallback: '900000',
    advice: 'set LOGIN_MAX_LOCKOUT_MS to the longest wait in ms (1-86400000)',
  },
  LOGIN_TRACKED_KEYS: {
    schema: intIn(1, 10_000_000),
    fallback: '10000',
    advice: 'set LOGIN_TRACKED_KEYS to the usernames and IPs remembered (1-10000000)',
  },
  METRICS_TOKEN: {
    schema: z.string().min(16, 'needs at least 16 characters').optional(),
    fallback: undefined,
    advice: 'set METRICS_TOKEN to 16+ characters, or unset it to leave /metrics open',
  },
  SERVE_SOURCE_MAPS: { schema: flag, fallback: '0', advice: 'set SERVE_SOURCE_MAPS to 1 or 0' },
  STATS_ENTRY_MAX_BYTES: {
    schema: intIn(0, 1_048_576),
    fallback: '4096',
    advice: 'set STATS_ENTRY_MAX_BYTES to the largest client_stats shown per desk in /api/stats (0-1048576)',
  },
  IDEMPOTENCY_RETENTION_DAYS: {
    schema: intIn(1, 3650),
    fallback: '7',
    advice:
      'set IDEMPOTENCY_RETENTION_DAYS to the days a message id is remembered (1-3650); keep it longer than any client resends',
  },
  CLIENT_STATS_RETENTION_HOURS: {
    schema: intIn(1, 87_600),
    fallback: '24',
    advice: 'set CLIENT_STATS_RETENTION_HOURS to the hours a silent desk keeps its stats row (1-87600)',
  },
  CLIENT_STATS_MAX_ROWS: {
    schema: intIn(1, 1_000_000),
    fallback: '1000',
    advice: 'set CLIENT_STATS_MAX_ROWS to the desk stats rows kept at most (1-1000000)',
  },
  EVENT_HISTORY_SIZE: {
    // At most 10,000: a resume replays the whole gap at once, and it must fit one connection's
    // outbound limit (8 MiB) or the desk would be closed 4508 on every reconnect.
    schema: intIn(1, 10_000),
    fallback: '10000',
    advice: 'set EVENT_HISTORY_SIZE to the events kept for resume, in memory and in the event log (1-10000)',
  },
  EVENT_HISTORY_MAX_AGE_HOURS: {
    schema: intIn(1, 8_760),
    fallback: '24',
    advice: 'set EVENT_HISTORY_MAX_AGE_HOURS to the hours an event stays replayable and on disk (1-8760)',
  },
  DRAIN_READY_DELAY_MS: {
    schema: intIn(0, 600_000),
    fallback: '0',
    advice:
      'set DRAIN_READY_DELAY_MS to the ms /readyz answers 503 before a draining node stops taking sockets (0-600000)',
  },
  DRAIN_TIMEOUT_SEC: {
    schema: intIn(1, 3_600),
    fallback: '30',
    advice: 'set DRAIN_TIMEOUT_SEC to the seconds a drain may take before the process exits anyway (1-3600)',
  },
  DRAIN_RECONNECT_MIN_MS: {
    schema: intIn(0, 600_000),
    fallback: '500',
    advice: 'set DRAIN_RECONNECT_MIN_MS to the shortest reconnect delay hinted to clients on 1012 (0-600000)',
  },
  DRAIN_RECONNECT_MAX_MS: {
    schema: intIn(0, 600_000),
    fallback: '5000',
    advice:
      'set DRAIN_RECONNECT_MAX_MS to the longest reconnect delay hinted to clients on 1012 (0-600000, at least DRAIN_RECONNECT_MIN_MS)',
  },
  HOUSEKEEPING_INTERVAL_SEC: {
    schema: intIn(0, 86_400),
    fallback: '60',
    advice:
      'set HOUSEKEEPING_INTERVAL_SEC to the seconds between retention passes (0 turns them off, max 86400)',
  },
} as const;

type Variable = keyof typeof VARIABLES;

function read<V extends Variable>(env: Record<string, string | undefined>, name: V) {
  const spec = VARIABLES[name];
  // An empty value means unset (e.g. `PORT= npm start`), never 0 or an empty list by accident.
  const raw = env[name] === '' || env[name] === undefined ? spec.fallback : env[name];
  const parsed = (spec.schema as z.ZodType).safeParse(raw);
  if (!parsed.success) {
    const why = parsed.error.issues[0]?.message ?? 'invalid';
    const shown =
      raw === undefined ? '' : ` (got ${JSON.stringify(raw.length > 40 ? `${raw.slice(0, 40)}...` : raw)})`;
    throw new ConfigError(name, `${name}: ${why}${shown}; ${spec.advice}`);
  }
  return parsed.data as z.output<(typeof VARIABLES)[V]['schema']>;
}

/**
 * Reads the server's configuration from environment variables. Throws {@link ConfigError}
 * with one line naming the variable when a value is bad.
 * @example
 * const config = parseConfig({ PORT: '0', DATA_DIR: '/tmp/gym' });
 */
export function parseConfig(env: Record<string, string | undefined>): ServerConfig {
  const rateLimitPerSec = read(env, 'RATE_LIMIT_PER_SEC');
  const frameRateLimitPerSec = read(env, 'FRAME_RATE_PER_SEC');
  const credentialRateLimitPerSec = read(env, 'CREDENTIAL_RATE_PER_SEC');
  const credentialFrameRatePerSec = read(env, 'CREDENTIAL_FRAME_RATE_PER_SEC');
  const reconnectMinMs = read(env, 'DRAIN_RECONNECT_MIN_MS');
  const reconnectMaxMs = read(env, 'DRAIN_RECONNECT_MAX_MS');
  if (reconnectMaxMs < reconnectMinMs)
    throw new ConfigError(
      'DRAIN_RECONNECT_MAX_MS',
      `DRAIN_RECONNECT_MAX_MS: ${reconnectMaxMs} is below DRAIN_RECONNECT_MIN_MS (${reconnectMinMs}); set it to DRAIN_RECONNECT_MIN_MS or more`,
    );
  return {
    databaseUrl: read(env, 'DATABASE_URL'),
    redisUrl: read(env, 'REDIS_URL'),
    redisStream: read(env, 'REDIS_STREAM'),
    port: read(env, 'PORT'),
    host: read(env, 'HOST'),
    dataDir: read(env, 'DATA_DIR'),
    apiTokens: read(env, 'AV_GYM_TOKENS'),
    apiTokensFile: read(env, 'AV_GYM_TOKENS_FILE'),
    adminPassword: read(env, 'AV_GYM_ADMIN_PASSWORD'),
    allowedOrigins: read(env, 'ALLOWED_ORIGINS'),
    logLevel: read(env, 'LOG_LEVEL'),
    logFormat: read(env, 'LOG_FORMAT'),
    nodeName: read(env, 'NODE_NAME'),
    historySampleIntervalMs: read(env, 'HISTORY_SAMPLE_SEC') * 1000,
    alerts: {
      qualityMin: read(env, 'ALERT_QUALITY_MIN'),
      qualityForMs: read(env, 'ALERT_QUALITY_FOR_SEC') * 1000,
      offlineAfterMs: read(env, 'ALERT_OFFLINE_AFTER_SEC') * 1000,
      ackP99Ms: read(env, 'ALERT_ACK_P99_MS'),
      reconnects: read(env, 'ALERT_RECONNECTS'),
      dropRatePercent: read(env, 'ALERT_DROP_RATE_PERCENT'),
      queueBytes: read(env, 'ALERT_QUEUE_BYTES'),
      forMs: read(env, 'ALERT_FOR_SEC') * 1000,
      forecastCapacityMsgsPerSec: read(env, 'FORECAST_CAPACITY_MSGS_PER_SEC'),
    },
    gymCapacity: read(env, 'GYM_CAPACITY'),
    checkInAlerts: {
      blocking: new Set(read(env, 'CHECKIN_BLOCKING_ALERTS').flatMap((t) => (t === 'none' ? [] : [t]))),
      passBackMs: read(env, 'PASSBACK_MINUTES') * 60_000,
    },
    seedDemo: read(env, 'SEED_DEMO'),
    seedHistoryDays: read(env, 'SEED_HISTORY'),
    rateLimitPerSec,
    rateLimitBurst: Math.max(rateLimitPerSec * 2, DEFAULT_LIMITS.maxBatchSize),
    frameRateLimitPerSec,
    frameRateBurst: frameRateLimitPerSec * 2,
    credentialRateLimitPerSec,
    credentialRateBurst: Math.max(credentialRateLimitPerSec * 2, DEFAULT_LIMITS.maxBatchSize),
    credentialFrameRatePerSec,
    credentialFrameBurst: credentialFrameRatePerSec * 2,
    maxConnections: read(env, 'MAX_CONNECTIONS'),
    maxPreAuthPerIp: read(env, 'MAX_PREAUTH_PER_IP'),
    helloTimeoutMs: read(env, 'HELLO_TIMEOUT_MS'),
    clientTimeWindow: {
      maxFutureMs: read(env, 'CLIENT_TIME_MAX_FUTURE_MS'),
      maxPastMs: read(env, 'CLIENT_TIME_MAX_PAST_MS'),
    },
    limits: { ...DEFAULT_LIMITS },
    outboundSoftBytes: 1024 * 1024,
    outboundHardBytes: 8 * 1024 * 1024,
    outboundBudgetBytes: DEFAULT_OUTBOUND_BUDGET_BYTES,
    eventHistorySize: read(env, 'EVENT_HISTORY_SIZE'),
    eventHistoryMaxAgeMs: read(env, 'EVENT_HISTORY_MAX_AGE_HOURS') * 3_600_000,
    drain: {
      readyDelayMs: read(env, 'DRAIN_READY_DELAY_MS'),
      timeoutMs: read(env, 'DRAIN_TIMEOUT_SEC') * 1000,
      reconnectMinMs,
      reconnectMaxMs,
    },
    sessionTtlMs: 12 * 60 * 60 * 1000,
    staticDir: undefined,
    loginLimits: {
      maxFailures: read(env, 'LOGIN_MAX_FAILURES'),
      maxFailuresPerIp: read(env, 'LOGIN_MAX_FAILURES_PER_IP'),
      lockoutMs: read(env, 'LOGIN_LOCKOUT_MS'),
      maxLockoutMs: read(env, 'LOGIN_MAX_LOCKOUT_MS'),
      trackedKeys: read(env, 'LOGIN_TRACKED_KEYS'),
    },
    metricsToken: read(env, 'METRICS_TOKEN'),
    serveSourceMaps: read(env, 'SERVE_SOURCE_MAPS'),
    statsEntryMaxBytes: read(env, 'STATS_ENTRY_MAX_BYTES'),
    retention: {
      processedRetentionMs: read(env, 'IDEMPOTENCY_RETENTION_DAYS') * 86_400_000,
      clientStatsRetentionMs: read(env, 'CLIENT_STATS_RETENTION_HOURS') * 3_600_000,
      maxClientStatsRows: read(env, 'CLIENT_STATS_MAX_ROWS'),
    },
    housekeepingIntervalMs: read(env, 'HOUSEKEEPING_INTERVAL_SEC') * 1000,
  };
}

/** The origins allowed by default: the server's own, with localhost / 127.0.0.1 / [::1] variants. */
export function defaultOrigins(host: string, port: number): string[] {
  const hosts = new Set([host.includes(':') && !host.startsWith('[') ? `[${host}]` : host]);
  for (const h of ['localhost', '127.0.0.1', '[::1]']) hosts.add(h);
  return [...hosts].map((h) => `http://${h}:${port}`);
}
