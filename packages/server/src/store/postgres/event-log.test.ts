import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RecordingSink } from '../../../test/support/recording-sink.js';
import {
  createTempDatabase,
  type TempPostgresDatabase,
} from '../../../test/support/temp-postgres-database.js';
import { TEST_NOW } from '../../../test/support/temp-sqlite-store.js';
import { createBatchConsumer } from '../../consumer/batch-consumer.js';
import { createPostgresStore, type PostgresStore } from './create-postgres-store.js';

const adminUrl = process.env.DATABASE_URL;

describe.skipIf(!adminUrl)('PostgreSQL event log', () => {
  let db: TempPostgresDatabase;
  let store: PostgresStore;
  beforeAll(async () => {
    db = await createTempDatabase(adminUrl as string);
    store = createPostgresStore({ connectionString: db.url, logger: pino({ level: 'silent' }), poolSize: 2 });
    await store.init({ seedDemo: false, now: TEST_NOW });
  });
  afterAll(async () => {
    await store?.close();
    await db?.drop();
  });

  it('keeps the events of each commit and reads them back by seq range', async () => {
    const sink = new RecordingSink();
    const consumer = createBatchConsumer({ store, sink, logger: pino({ level: 'silent' }) });
    await consumer.handleBatch({
      clientId: 'desk',
      batches: {
        member_create: [
          { id: 'mc-1', data: { memberId: 'm_log', name: 'Log', plan: 'standard', expiresAt: '2099-12-31' } },
        ],
      },
    });
    await consumer.handleBatch({
      clientId: 'desk',
      batches: { check_in: [{ id: 'in-1', data: { memberId: 'm_log' } }] },
    });
    await consumer.drain();
    const published = sink.all;
    expect(published.map((e) => e.seq)).toEqual([1, 2, 3]);
    const logged = await store.eventsBetween(1, 3);
    expect(logged.map(({ at: _at, ...rest }) => rest)).toEqual(published.map(({ at: _at, ...rest }) => rest));
    expect(logged.every((e) => typeof e.at === 'number')).toBe(true);
    expect((await store.eventsBetween(2, 2)).map((e) => e.name)).toEqual(['check_in.created']);
    expect(await store.eventsBetween(4, 10)).toEqual([]);
  });
});

describe.skipIf(adminUrl)('PostgreSQL event log', () => {
  it.skip('needs DATABASE_URL (e.g. postgres://postgres@127.0.0.1:5432/postgres): skipped', () => {});
});
