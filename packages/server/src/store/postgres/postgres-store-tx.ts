import { sql, type Transaction } from 'kysely';
import { KyselyStoreTx } from '../kysely-store-tx.js';
import { chunkRows, type MemberRecord, memberFromRow, type ProcessedRecord } from '../records.js';
import type { Database } from '../schema.js';

const IN_LIST_SIZE = 900;

/**
 * {@link KyselyStoreTx} plus the row locks PostgreSQL needs when several nodes write at once
 * (SQLite serialises whole transactions, so it needs none):
 * - `findProcessed` first takes a transaction-scoped advisory lock per message id, so a
 *   second node holding the same id waits for the first to commit and then sees its
 *   idempotency record: the id is applied once and answered `duplicate`, never twice.
 * - `membersById` reads with `FOR UPDATE`, so two nodes changing one member (check-in,
 *   check-out, update) run one after the other and see each other's writes.
 * Events are logged with the commit by the shared code (`../event-log.ts`).
 */
export class PostgresStoreTx extends KyselyStoreTx {
  readonly #trx: Transaction<Database>;

  constructor(trx: Transaction<Database>, maxEvents?: number) {
    super(trx, maxEvents);
    this.#trx = trx;
  }

  override async findProcessed(ids: readonly string[]): Promise<Map<string, ProcessedRecord>> {
    if (ids.length > 0) {
      // Sorted keys: two transactions locking overlapping sets take them in one order (no deadlock).
      // The sorted subquery makes the lock calls run in that order.
      await sql`select pg_advisory_xact_lock(k) from (select distinct hashtextextended(id, 0) as k from unnest(cast(${[...ids]} as text[])) as t(id) order by k) as s`.execute(
        this.#trx,
      );
    }
    return super.findProcessed(ids);
  }

  override async membersById(ids: readonly string[]): Promise<Map<string, MemberRecord>> {
    const out = new Map<string, MemberRecord>();
    const sorted = [...ids].sort();
    for (const part of chunkRows(sorted, 1, IN_LIST_SIZE)) {
      const rows = await this.#trx
        .selectFrom('members')
        .selectAll()
        .where('id', 'in', part)
        .orderBy('id')
        .forUpdate()
        .execute();
      for (const r of rows) out.set(r.id, memberFromRow(r));
    }
    return out;
  }
}
