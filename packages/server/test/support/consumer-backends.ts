import { pino } from 'pino';
import type { KyselyStore } from '../../src/store/kysely-store.js';
import { createPostgresStore } from '../../src/store/postgres/create-postgres-store.js';
import { createTempDatabase } from './temp-postgres-database.js';
import { openTempStore, TEST_NOW } from './temp-sqlite-store.js';

/** A store the consumer tests run against, and how to get rid of it. */
export interface OpenedStore {
  store: KyselyStore;
  cleanup(): Promise<void>;
}

export interface ConsumerBackend {
  name: string;
  open(options: { seedDemo: boolean }): Promise<OpenedStore>;
}

/**
 * The stores the consumer's behaviour is checked on: SQLite with its prepared-statement fast
 * path, SQLite through the generic Kysely statements, and PostgreSQL when `DATABASE_URL` is set.
 */
export function consumerBackends(): ConsumerBackend[] {
  const backends: ConsumerBackend[] = [
    { name: 'SQLite, prepared statements', open: (o) => openTempStore(o) },
    {
      name: 'SQLite, generic Kysely statements',
      open: (o) => openTempStore({ ...o, nativeStatements: false }),
    },
  ];
  const adminUrl = process.env.DATABASE_URL;
  if (adminUrl) {
    backends.push({
      name: 'PostgreSQL',
      async open(options) {
        const db = await createTempDatabase(adminUrl);
        const store = createPostgresStore({
          connectionString: db.url,
          logger: pino({ level: 'silent' }),
          poolSize: 4,
        });
        await store.init({ seedDemo: options.seedDemo, now: TEST_NOW });
        return {
          store,
          async cleanup() {
            await store.close();
            await db.drop();
          },
        };
      },
    });
  }
  return backends;
}
