import net from 'node:net';

/** Why the server did not start; `code` is EADDRINUSE for a taken port (main.ts says which to change). */
export class StartupCheckError extends Error {
  constructor(
    message: string,
    readonly code: 'EADDRINUSE' | 'DATABASE_UNREACHABLE',
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

/** Port free and database answering, else a StartupCheckError naming what to fix. */
export async function checkBeforeStart(deps: {
  host: string;
  port: number;
  pingStore: () => Promise<boolean>;
}): Promise<void> {
  if (!(await portIsFree(deps.host, deps.port)))
    throw new StartupCheckError(`PORT ${deps.port} is in use on ${deps.host}`, 'EADDRINUSE');
  if (!(await deps.pingStore()))
    throw new StartupCheckError(
      'the database does not answer (check DATABASE_URL, or DATA_DIR for SQLite)',
      'DATABASE_UNREACHABLE',
    );
}
