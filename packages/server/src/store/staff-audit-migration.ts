import { type Kysely, type Migration, sql } from 'kysely';

// biome-ignore lint/suspicious/noExplicitAny: migrations are written against an untyped Kysely on purpose
type AnyDb = Kysely<any>;

/**
 * Issue 13: staff roles and display names (existing accounts become `admin`, so an upgraded gym
 * keeps every power it had), the staff member on each visit, and the append-only audit trail.
 * Audit ids are time-ordered text (`a_<ULID>`): the newest-first keyset pagination walks the
 * primary key, and each filter has an index ending in the id. `appendOnly` lets a dialect refuse
 * UPDATE and DELETE on the table (PostgreSQL: a trigger); the store has no such path anyway.
 */
export function staffRolesAudit(options: {
  appendOnly?: (db: AnyDb, table: string) => Promise<void>;
}): Migration {
  return {
    async up(db: AnyDb) {
      await db.schema
        .alterTable('staff')
        .addColumn('role', 'varchar(16)', (c) => c.notNull().defaultTo('admin'))
        .execute();
      await db.schema
        .alterTable('staff')
        .addColumn('display_name', 'text', (c) => c.notNull().defaultTo(''))
        .execute();
      await db.schema.alterTable('visits').addColumn('staff', 'varchar(64)').execute();
      await db.schema
        .createTable('audit_log')
        .addColumn('id', 'varchar(32)', (c) => c.primaryKey())
        .addColumn('at', 'bigint', (c) => c.notNull())
        .addColumn('staff', 'varchar(64)', (c) => c.notNull())
        .addColumn('desk_id', 'varchar(128)')
        .addColumn('action', 'varchar(32)', (c) => c.notNull())
        .addColumn('member_id', 'varchar(64)')
        .addColumn('target_staff', 'varchar(64)')
        .addColumn('before', 'text')
        .addColumn('after', 'text')
        .addColumn('reason', 'text')
        .execute();
      for (const column of ['member_id', 'staff', 'desk_id', 'at'] as const) {
        await db.schema
          .createIndex(`audit_log_${column}`)
          .on('audit_log')
          .columns(column === 'at' ? ['at'] : [column, 'id'])
          .execute();
      }
      await options.appendOnly?.(db, 'audit_log');
    },
  };
}

/** PostgreSQL's `appendOnly`: a trigger that refuses UPDATE and DELETE on the table. */
export async function postgresAppendOnly(db: AnyDb, table: string): Promise<void> {
  await sql`create or replace function av_gym_append_only() returns trigger language plpgsql as $$
    begin raise exception '% is append-only', tg_table_name; end $$`.execute(db);
  await sql`create trigger ${sql.raw(`${table}_append_only`)} before update or delete on ${sql.table(table)}
    for each row execute function av_gym_append_only()`.execute(db);
}
