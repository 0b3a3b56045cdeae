import { type DialectAdapter, SqliteAdapter, SqliteDialect } from 'kysely';

/** SQLite runs DDL inside transactions, so migrations can share one with their bookkeeping. */
class TransactionalDdlSqliteAdapter extends SqliteAdapter {
  override get supportsTransactionalDdl(): boolean {
    return true;
  }
}

/**
 * Kysely's SQLite dialect with migrations in one transaction. Together with
 * {@link cachingDatabase} turning `begin` into `begin immediate`, two processes starting on one
 * file serialise on the write lock (waiting up to busy_timeout) instead of failing half-way.
 */
export class ImmediateSqliteDialect extends SqliteDialect {
  override createAdapter(): DialectAdapter {
    return new TransactionalDdlSqliteAdapter();
  }
}
