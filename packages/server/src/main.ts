/**
 * The server's command-line entry: the only file that reads `process.env`. Parses the
 * configuration, starts the server, prints its URL, and shuts down gracefully on
 * SIGTERM / SIGINT (a second signal exits at once; a drain past DRAIN_TIMEOUT_SEC exits anyway). SIGHUP re-reads the API tokens
 * (AV_GYM_TOKENS and the file AV_GYM_TOKENS_FILE): tokens no longer listed are revoked and
 * their sockets closed with 4401.
 */
import { setFlagsFromString } from 'node:v8';
import { ConfigError, parseConfig, type ServerConfig } from './config.js';
import { createServer } from './create-server.js';
import { readApiTokenFile } from './http/api-token-file.js';
import { createLogger } from './logging/create-logger.js';

/**
 * V8 grows the old generation to about twice what is live before it collects again; under ingest
 * most of what reaches it is messages that waited out a group commit and died right after, so the
 * heap filled with garbage (236 MB RSS at 45k msgs/s). Growing by 20% keeps RSS near what is live
 * (182 MB) at no cost in throughput (bench/: `npm run bench -- --only=ingest`). No hard cap: a
 * server that truly needs more memory still gets it.
 */
const HEAP_GROWING_PERCENT = 20;

/** AV_GYM_TOKENS (as the process started: its environment never changes) plus AV_GYM_TOKENS_FILE, read now. */
function withTokenFile(config: ServerConfig): ServerConfig {
  if (!config.apiTokensFile) return config;
  return { ...config, apiTokens: [...config.apiTokens, ...readApiTokenFile(config.apiTokensFile)] };
}

async function main(): Promise<void> {
  setFlagsFromString(`--heap-growing-percent=${HEAP_GROWING_PERCENT}`);
  let config: ReturnType<typeof parseConfig>;
  try {
    config = withTokenFile(parseConfig(process.env));
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(`av-gym: configuration error: ${error.message}`);
      process.exit(1);
    }
    throw error;
  }
  const logger = createLogger({
    level: config.logLevel,
    format: config.logFormat,
    isTty: process.stdout.isTTY === true,
  });
  const server = createServer(config, {
    logger,
    onAdminPasswordGenerated: (password) => {
      logger.warn(
        { username: 'admin' },
        `created staff account admin with password: ${password} (shown only now; set AV_GYM_ADMIN_PASSWORD to choose your own)`,
      );
    },
  });
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) {
      logger.warn({ signal }, 'second signal: exiting now');
      process.exit(1);
    }
    stopping = true;
    logger.info({ signal, drainTimeoutMs: config.drain.timeoutMs }, 'shutting down: draining');
    // The deadline: a drain that hangs (a stuck client, a database gone) never keeps a deploy waiting.
    setTimeout(() => {
      logger.error({ drainTimeoutMs: config.drain.timeoutMs }, 'drain deadline passed: exiting anyway');
      process.exit(1);
    }, config.drain.timeoutMs).unref();
    server.close().then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGHUP', () => {
    try {
      const { added, removed } = server.auth.setApiTokens(withTokenFile(parseConfig(process.env)).apiTokens);
      logger.info({ added, removed }, 'API tokens re-read (SIGHUP)');
    } catch (error) {
      logger.error({ err: error }, 'API tokens not re-read; the current ones stay');
    }
  });
  try {
    const url = await server.listen();
    // The one start-up banner: everything an operator checks first, on one line, shown at any
    // LOG_LEVEL but silent (a warn-level node still says where it listens).
    const banner = config.logLevel === 'silent' ? logger : logger.child({}, { level: 'info' });
    banner.info(
      { url, ...server.describe(), logLevel: config.logLevel, logFormat: config.logFormat },
      `av-gym listening on ${url} (dashboard at ${url}/, WebSocket at ${url.replace(/^http/, 'ws')}/ws)`,
    );
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code === 'EADDRINUSE')
      console.error(`av-gym: PORT ${config.port} is in use; set PORT to a free port`);
    else console.error(`av-gym: failed to start: ${error instanceof Error ? error.message : String(error)}`);
    await server.close().catch(() => {});
    process.exit(1);
  }
}

void main();
