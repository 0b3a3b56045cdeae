import { createRequire } from 'node:module';
import net from 'node:net';
import type * as Redis from 'redis';

/** Why the server did not start; `code` is EADDRINUSE for a taken port (main.ts says which to change). */
export class StartupCheckError extends Error {
  constructor(
    message: string,
    readonly code: 'EADDRINUSE' | 'DATABASE_UNREACHABLE' | 'BROKER_UNREACHABLE',
  ) {
    super(message);
    this.name = 'StartupCheckError';
  }
}

/**
 * Whether `host:port` can be bound now: a probe listens and closes at once (port 0 is always free).
 * Run before anything is seeded or a password printed, so a second server on a taken port
 * changes nothing and says why.
 */
export function portIsFree(host: string, port: number): Promise<boolean> {
  if (port === 0) return Promise.resolve(true);
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'EADDRINUSE') resolve(false);
      else reject(error);
    });
    probe.listen({ host, port, exclusive: true }, () => probe.close(() => resolve(true)));
  });
}

/**
 * Port free, database answering and (when there is one to ask) the broker answering, else a
 * StartupCheckError naming what to fix.
 */
export async function checkBeforeStart(deps: {
  host: string;
  port: number;
  pingStore: () => Promise<boolean>;
  /** Redis when BROKER is redis (REDIS_URL); absent for the in-process broker. */
  pingBroker?: () => Promise<boolean>;
}): Promise<void> {
  if (!(await portIsFree(deps.host, deps.port)))
    throw new StartupCheckError(`PORT ${deps.port} is in use on ${deps.host}`, 'EADDRINUSE');
  if (!(await deps.pingStore()))
    throw new StartupCheckError(
      'the database does not answer (check DATABASE_URL, or DATA_DIR for SQLite)',
      'DATABASE_UNREACHABLE',
    );
  if (deps.pingBroker && !(await deps.pingBroker()))
    throw new StartupCheckError(
      'Redis does not answer PING (check REDIS_URL, or unset it to run one node with the in-process broker)',
      'BROKER_UNREACHABLE',
    );
}

/**
 * One PING over a fresh connection that does not retry: true when Redis answers PONG within
 * `timeoutMs`. The broker's own connections reconnect forever; this one is for the start-up check.
 */
export async function pingRedis(url: string, timeoutMs = 3_000): Promise<boolean> {
  const { createClient } = createRequire(import.meta.url)('redis') as typeof Redis;
  const client = createClient({ url, socket: { connectTimeout: timeoutMs, reconnectStrategy: false } });
  client.on('error', () => {});
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    const answer = await Promise.race([
      client.connect().then(() => client.ping()),
      new Promise<undefined>((resolve) => {
        timer = setTimeout(() => resolve(undefined), timeoutMs);
      }),
    ]);
    return answer === 'PONG';
  } catch {
    return false;
  } finally {
    clearTimeout(timer);
    await client.disconnect().catch(() => {});
  }
}
