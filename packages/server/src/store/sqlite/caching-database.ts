import type BetterSqlite3 from 'better-sqlite3';

/** Most distinct SQL texts kept prepared; the consumer's statements repeat, chunk sizes vary a little. */
const MAX_CACHED_STATEMENTS = 256;

/**
 * Wraps a better-sqlite3 handle so Kysely's driver, which prepares every query anew, reuses
 * prepared statements for repeated SQL (a hot batch path runs the same few shapes).
 */
export function cachingDatabase(
  db: BetterSqlite3.Database,
): Pick<BetterSqlite3.Database, 'prepare' | 'close'> {
  const cache = new Map<string, BetterSqlite3.Statement>();
  return {
    prepare(source: string) {
      const hit = cache.get(source);
      if (hit) {
        // Re-insert to keep the map in least-recently-used order.
        cache.delete(source);
        cache.set(source, hit);
        return hit;
      }
      const statement = db.prepare(source);
      cache.set(source, statement);
      if (cache.size > MAX_CACHED_STATEMENTS) {
        const oldest = cache.keys().next().value;
        if (oldest !== undefined) cache.delete(oldest);
      }
      return statement;
    },
    close() {
      cache.clear();
      if (db.open) db.close();
    },
  } as Pick<BetterSqlite3.Database, 'prepare' | 'close'>;
}
