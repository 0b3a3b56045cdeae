import { createRequire } from 'node:module';
import { Kysely, PostgresDialect, sql } from 'kysely';
import type pg from 'pg';
import type { Logger } from 'pino';
import type { EventLogWindow } from '../event-log.js';
import { postgresFileFigures } from '../kysely-maintenance.js';
import { KyselyStore } from '../kysely-store.js';
import type { Database } from '../schema.js';
import { postgresAppendOnly } from '../staff-audit-migration.js';
import { PostgresStoreTx } from './postgres-store-tx.js';

/** Advisory lock key held by staff changes, so two nodes cannot both remove the last two admins. */
const STAFF_LOCK_KEY = 0x6176_6779_6e;

/** Advisory lock key held while a node migrates and seeds ("avgym" in ASCII). */
export const INIT_LOCK_KEY = 0x6176_6779_6d;

export interface PostgresStoreOptions {
  /** `postgres://user:password@host:port/database`. */
  connectionString: string;
  logger: Logger;
  /** Maximum occupancy of the gym. Default 120. */
  capacity?: number;
  /** The event history kept (default 10,000 events, 24 h). */
  eventLog?: EventLogWindow;
  /** Connections in the pool. Default 10. */
  poolSize?: number;
  /** How long a query waits for a free or new connection before it fails. Default 3000. */
  connectTimeoutMs?: number;
  /** How long a query may take before it fails (client side). Default 15000. */
  queryTimeoutMs?: number;
}

/**
 * The store on PostgreSQL: the shared Kysely code and migrations, plus what several nodes
 * need: row and advisory locks (see {@link PostgresStoreTx}), an advisory lock around
 * migrate + seed so nodes starting together migrate and seed once.
 */
export class PostgresStore extends KyselyStore {
  readonly #db: Kysely<Database>;

  constructor(
    db: Kysely<Database>,
    options: { logger: Logger; capacity?: number; eventLog?: EventLogWindow },
  ) {
    super(db, {
      ...options,
      createTx: (trx, maxEvents) => new PostgresStoreTx(trx, maxEvents),
      migrations: { appendOnly: postgresAppendOnly },
      staffLock: async (trx) => {
        await sql`select pg_advisory_xact_lock(${STAFF_LOCK_KEY})`.execute(trx);
      },
      maintenanceHooks: { fileFigures: () => postgresFileFigures(db) },
    });
    this.#db = db;
  }

  override async init(options: { seedDemo: boolean; now?: number }): Promise<void> {
    // One connection holds a session lock while init runs on others; a second node waits here.
    await this.#db.connection().execute(async (conn) => {
      await sql`select pg_advisory_lock(${INIT_LOCK_KEY})`.execute(conn);
      try {
        await super.init(options);
      } finally {
        await sql`select pg_advisory_unlock(${INIT_LOCK_KEY})`.execute(conn);
      }
    });
  }
}

/**
 * Opens a connection pool to PostgreSQL; call `init()` before use. A lost database makes
 * queries fail (the consumer answers UNAVAILABLE); the pool reconnects by itself.
 * @example
 * const store = createPostgresStore({ connectionString: process.env.DATABASE_URL!, logger });
 * await store.init({ seedDemo: true });
 */
export function createPostgresStore(options: PostgresStoreOptions): PostgresStore {
  // Loaded on first use: a single node on SQLite never loads it (with redis, ~19 MB of an idle server's RSS).
  const { Pool } = createRequire(import.meta.url)('pg') as typeof pg;
  const pool = new Pool({
    connectionString: options.connectionString,
    max: options.poolSize ?? 10,
    connectionTimeoutMillis: options.connectTimeoutMs ?? 3_000,
    idleTimeoutMillis: 30_000,
    keepAlive: true,
    // A database that stops answering (rather than refusing) fails queries instead of hanging the consumer.
    query_timeout: options.queryTimeoutMs ?? 15_000,
  });
  // An idle connection that breaks (database restarted, network cut) must not crash the process.
  pool.on('error', (err) => options.logger.warn({ err }, 'idle PostgreSQL connection failed'));
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  return new PostgresStore(db, {
    logger: options.logger,
    ...(options.capacity === undefined ? {} : { capacity: options.capacity }),
    ...(options.eventLog === undefined ? {} : { eventLog: options.eventLog }),
  });
}
