import { describe, expect, it } from 'vitest';
import { ConfigError, defaultOrigins, parseConfig } from './config.js';

function errorOf(env: Record<string, string>): ConfigError {
  try {
    parseConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('parseConfig accepted a bad environment');
}

describe('parseConfig', () => {
  it('uses the documented defaults for an empty environment', () => {
    const c = parseConfig({});
    expect(c).toMatchObject({
      port: 8080,
      host: '127.0.0.1',
      dataDir: './data',
      apiTokens: [],
      adminPassword: undefined,
      allowedOrigins: undefined,
      logLevel: 'info',
      gymCapacity: 120,
      seedDemo: true,
      helloTimeoutMs: 5000,
      eventHistorySize: 10_000,
    });
    expect(c.limits).toEqual({ maxFrameBytes: 1_048_576, maxBatchSize: 500, maxInFlight: 16 });
    expect(c.rateLimitBurst).toBeGreaterThanOrEqual(c.limits.maxBatchSize);
  });

  it('reads every variable', () => {
    const c = parseConfig({
      PORT: '0',
      HOST: '0.0.0.0',
      DATA_DIR: '/tmp/gym',
      AV_GYM_TOKENS: ' token-aaaaaaaaaaaa1 , token-bbbbbbbbbbbb2 ,',
      AV_GYM_ADMIN_PASSWORD: 'correct horse',
      ALLOWED_ORIGINS: 'https://desk.example,http://10.0.0.5:8080',
      LOG_LEVEL: 'warn',
      GYM_CAPACITY: '300',
      SEED_DEMO: '0',
      RATE_LIMIT_PER_SEC: '50',
    });
    expect(c).toMatchObject({
      port: 0,
      host: '0.0.0.0',
      dataDir: '/tmp/gym',
      apiTokens: ['token-aaaaaaaaaaaa1', 'token-bbbbbbbbbbbb2'],
      adminPassword: 'correct horse',
      allowedOrigins: ['https://desk.example', 'http://10.0.0.5:8080'],
      logLevel: 'warn',
      gymCapacity: 300,
      seedDemo: false,
      rateLimitPerSec: 50,
    });
  });

  it('reads the gateway limits, with bursts twice the rates', () => {
    const c = parseConfig({
      FRAME_RATE_PER_SEC: '100',
      CREDENTIAL_RATE_PER_SEC: '3000',
      CREDENTIAL_FRAME_RATE_PER_SEC: '400',
      MAX_CONNECTIONS: '50',
      MAX_PREAUTH_PER_IP: '4',
      HELLO_TIMEOUT_MS: '2000',
    });
    expect(c).toMatchObject({
      frameRateLimitPerSec: 100,
      frameRateBurst: 200,
      credentialRateLimitPerSec: 3000,
      credentialRateBurst: 6000,
      credentialFrameRatePerSec: 400,
      credentialFrameBurst: 800,
      maxConnections: 50,
      maxPreAuthPerIp: 4,
      helloTimeoutMs: 2000,
    });
    expect(parseConfig({})).toMatchObject({
      frameRateLimitPerSec: 1000,
      credentialRateLimitPerSec: 20_000,
      credentialFrameRatePerSec: 10_000,
      maxConnections: 10_000,
      maxPreAuthPerIp: 32,
    });
    for (const name of ['FRAME_RATE_PER_SEC', 'MAX_CONNECTIONS', 'MAX_PREAUTH_PER_IP', 'HELLO_TIMEOUT_MS']) {
      const error = errorOf({ [name]: '0' });
      expect(error.variable).toBe(name);
      expect(error.message).toContain(`set ${name}`);
    }
  });

  it('names the variable and the fix in one line for a bad value', () => {
    const cases: [Record<string, string>, string][] = [
      [{ PORT: 'eighty' }, 'PORT'],
      [{ PORT: '70000' }, 'PORT'],
      [{ LOG_LEVEL: 'loud' }, 'LOG_LEVEL'],
      [{ GYM_CAPACITY: '-1' }, 'GYM_CAPACITY'],
      [{ SEED_DEMO: 'maybe' }, 'SEED_DEMO'],
      [{ AV_GYM_TOKENS: 'short' }, 'AV_GYM_TOKENS'],
      [{ AV_GYM_ADMIN_PASSWORD: 'abc' }, 'AV_GYM_ADMIN_PASSWORD'],
      [{ ALLOWED_ORIGINS: 'not a url' }, 'ALLOWED_ORIGINS'],
    ];
    for (const [env, name] of cases) {
      const error = errorOf(env);
      expect(error.variable).toBe(name);
      expect(error.message.startsWith(`${name}: `)).toBe(true);
      expect(error.message).toContain(`set ${name}`);
      expect(error.message).not.toContain('\n');
      expect(error.message).not.toMatch(/NaN|Invalid input/);
    }
  });

  it('takes DATABASE_URL and REDIS_URL and refuses other schemes', () => {
    expect(
      parseConfig({
        DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/gym',
        REDIS_URL: 'redis://127.0.0.1:6379',
      }),
    ).toMatchObject({
      databaseUrl: 'postgres://postgres@127.0.0.1:5432/gym',
      redisUrl: 'redis://127.0.0.1:6379',
    });
    expect(parseConfig({})).toMatchObject({ databaseUrl: undefined, redisUrl: undefined });
    expect(errorOf({ DATABASE_URL: 'mysql://x' }).message).toMatch(
      /^DATABASE_URL: must be a postgres:\/\/ URL/,
    );
    expect(errorOf({ REDIS_URL: 'http://x' }).variable).toBe('REDIS_URL');
  });

  it('reads the window around server time a client-given `at` must lie in', () => {
    expect(parseConfig({}).clientTimeWindow).toEqual({ maxFutureMs: 300_000, maxPastMs: 604_800_000 });
    expect(
      parseConfig({ CLIENT_TIME_MAX_FUTURE_MS: '1000', CLIENT_TIME_MAX_PAST_MS: '86400000' })
        .clientTimeWindow,
    ).toEqual({ maxFutureMs: 1000, maxPastMs: 86_400_000 });
    expect(errorOf({ CLIENT_TIME_MAX_FUTURE_MS: '-1' }).message).toMatch(
      /^CLIENT_TIME_MAX_FUTURE_MS: expected 0 or more .*; set CLIENT_TIME_MAX_FUTURE_MS to/,
    );
    expect(errorOf({ CLIENT_TIME_MAX_PAST_MS: 'a week' }).variable).toBe('CLIENT_TIME_MAX_PAST_MS');
  });

  it('reads the retention windows, the desk stats cap and the housekeeping interval', () => {
    expect(parseConfig({})).toMatchObject({
      retention: {
        processedRetentionMs: 7 * 86_400_000,
        clientStatsRetentionMs: 86_400_000,
        maxClientStatsRows: 1000,
      },
      housekeepingIntervalMs: 60_000,
    });
    expect(
      parseConfig({
        IDEMPOTENCY_RETENTION_DAYS: '30',
        CLIENT_STATS_RETENTION_HOURS: '2',
        CLIENT_STATS_MAX_ROWS: '50',
        HOUSEKEEPING_INTERVAL_SEC: '0',
      }),
    ).toMatchObject({
      retention: {
        processedRetentionMs: 30 * 86_400_000,
        clientStatsRetentionMs: 7_200_000,
        maxClientStatsRows: 50,
      },
      housekeepingIntervalMs: 0,
    });
    expect(errorOf({ IDEMPOTENCY_RETENTION_DAYS: '0' }).message).toMatch(
      /^IDEMPOTENCY_RETENTION_DAYS: expected 1 or more .*; set IDEMPOTENCY_RETENTION_DAYS to/,
    );
    expect(errorOf({ CLIENT_STATS_MAX_ROWS: 'lots' }).variable).toBe('CLIENT_STATS_MAX_ROWS');
  });

  it('reads the history window and the drain, with their documented defaults', () => {
    expect(parseConfig({})).toMatchObject({
      eventHistorySize: 10_000,
      eventHistoryMaxAgeMs: 24 * 3_600_000,
      drain: { readyDelayMs: 0, timeoutMs: 30_000, reconnectMinMs: 500, reconnectMaxMs: 5_000 },
    });
    const c = parseConfig({
      EVENT_HISTORY_SIZE: '500',
      EVENT_HISTORY_MAX_AGE_HOURS: '2',
      DRAIN_READY_DELAY_MS: '3000',
      DRAIN_TIMEOUT_SEC: '60',
      DRAIN_RECONNECT_MIN_MS: '0',
      DRAIN_RECONNECT_MAX_MS: '0',
    });
    expect(c).toMatchObject({
      eventHistorySize: 500,
      eventHistoryMaxAgeMs: 7_200_000,
      drain: { readyDelayMs: 3_000, timeoutMs: 60_000, reconnectMinMs: 0, reconnectMaxMs: 0 },
    });
    expect(errorOf({ EVENT_HISTORY_SIZE: '0' }).variable).toBe('EVENT_HISTORY_SIZE');
    expect(errorOf({ DRAIN_TIMEOUT_SEC: '0' }).variable).toBe('DRAIN_TIMEOUT_SEC');
    const backwards = errorOf({ DRAIN_RECONNECT_MIN_MS: '2000', DRAIN_RECONNECT_MAX_MS: '1000' });
    expect(backwards.variable).toBe('DRAIN_RECONNECT_MAX_MS');
    expect(backwards.message).toContain('DRAIN_RECONNECT_MIN_MS');
  });

  it('treats an empty optional value as unset', () => {
    expect(
      parseConfig({ AV_GYM_ADMIN_PASSWORD: '', ALLOWED_ORIGINS: '', PORT: '', SEED_DEMO: '' }),
    ).toMatchObject({
      adminPassword: undefined,
      allowedOrigins: undefined,
      port: 8080,
      seedDemo: true,
    });
  });
});

describe('defaultOrigins', () => {
  it('allows the own origin and its loopback variants', () => {
    expect(defaultOrigins('127.0.0.1', 8080)).toEqual([
      'http://127.0.0.1:8080',
      'http://localhost:8080',
      'http://[::1]:8080',
    ]);
    expect(defaultOrigins('gym.local', 9000)).toContain('http://gym.local:9000');
  });
});
