import pg from 'pg';

/**
 * The PostgreSQL server the bench writes to: `BENCH_PG_URL`, else this machine's (127.0.0.1:5432,
 * user postgres). A scenario gets a fresh database of it per run.
 */
export function pgServerUrl(env: NodeJS.ProcessEnv = process.env): string {
  return env.BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
}

/** `url` with its database name replaced. */
export function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

let made = 0;

/** A fresh, empty database on the bench's PostgreSQL server; `drop()` removes it (connections and all). */
export interface BenchDatabase {
  name: string;
  url: string;
  drop(): Promise<void>;
}

async function admin<T>(fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: pgServerUrl() });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/**
 * Creates `avgym_bench_<pid>_<n>_<label>` (the name is only [a-z0-9_]); with
 * `BENCH_PG_LOG_STATEMENTS=1` the server logs its every statement (a diagnosis run, not a measure).
 */
export async function createBenchDatabase(label: string): Promise<BenchDatabase> {
  const name = `avgym_bench_${process.pid}_${++made}_${label.toLowerCase().replace(/[^a-z0-9]/g, '_')}`.slice(
    0,
    63,
  );
  await admin(async (c) => {
    await c.query(`CREATE DATABASE "${name}"`);
    // A diagnosis aid: every statement of the run in the server's log (count them per transaction).
    if (process.env.BENCH_PG_LOG_STATEMENTS === '1')
      await c.query(`ALTER DATABASE "${name}" SET log_statement = 'all'`);
  });
  return {
    name,
    url: withDatabase(pgServerUrl(), name),
    drop: () => admin((c) => c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`)).then(() => undefined),
  };
}

/** Whether the bench's PostgreSQL server answers (scenarios that need it are skipped, and say so, if not). */
export async function pgAvailable(): Promise<boolean> {
  try {
    await admin((c) => c.query('SELECT 1'));
    return true;
  } catch {
    return false;
  }
}
