import type { StaffRole } from '@av-gym/protocol';
import { type Kysely, sql, type Transaction } from 'kysely';
import { insertAudit } from './audit-queries.js';
import { type AuditWho, auditRecord } from './audit-records.js';
import type { Database } from './schema.js';
import type { StaffAdmin, StaffChange, StaffRefusal } from './staff-admin.js';
import type { StaffRow } from './store.js';

type Trx = Transaction<Database>;

/** Active admins other than `username` (the last-admin guard reads it inside the transaction). */
async function otherActiveAdmins(trx: Trx, username: string): Promise<number> {
  const row = await trx
    .selectFrom('staff')
    .select(sql<number>`count(*)`.as('n'))
    .where('role', '=', 'admin')
    .where('disabled_at', 'is', null)
    .where('username', '<>', username)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

async function endSessions(trx: Trx, username: string, keep?: string): Promise<string[]> {
  let q = trx.deleteFrom('staff_sessions').where('username', '=', username);
  if (keep !== undefined) q = q.where('token_hash', '<>', keep);
  const rows = await q.returning('token_hash').execute();
  return rows.map((r) => r.token_hash);
}

/**
 * {@link StaffAdmin} in plain Kysely, the same on SQLite and PostgreSQL. `lock` serialises the
 * last-admin guard across nodes (PostgreSQL passes an advisory transaction lock; SQLite's write
 * transactions are serial already).
 */
export class KyselyStaffAdmin implements StaffAdmin {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly lock: (trx: Trx) => Promise<void> = async () => {},
  ) {}

  async create(row: StaffRow & { role: StaffRole }, who: AuditWho, at: number) {
    return this.db.transaction().execute(async (trx): Promise<StaffRefusal | { ended: [] }> => {
      const inserted = await trx
        .insertInto('staff')
        .values({
          username: row.username,
          password_hash: row.passwordHash,
          created_at: row.createdAt,
          role: row.role,
          display_name: row.displayName ?? '',
        })
        .onConflict((oc) => oc.column('username').doNothing())
        .executeTakeFirst();
      if (Number(inserted.numInsertedOrUpdatedRows ?? 0) === 0) return 'exists';
      const after = { role: row.role, displayName: row.displayName ?? '', active: true };
      await insertAudit(trx, [
        auditRecord(who, at, { action: 'staff_create', targetStaff: row.username, after }),
      ]);
      return { ended: [] };
    });
  }

  async update(username: string, change: StaffChange, who: AuditWho, at: number) {
    return this.db.transaction().execute(async (trx): Promise<StaffRefusal | { ended: string[] }> => {
      await this.lock(trx);
      const current = await trx
        .selectFrom('staff')
        .select(['role', 'disabled_at'])
        .where('username', '=', username)
        .executeTakeFirst();
      if (!current) return 'not_found';
      const wasActive = current.disabled_at === null;
      const role = change.role ?? current.role;
      const active = change.active ?? wasActive;
      const losesAdmin = current.role === 'admin' && wasActive && (role !== 'admin' || !active);
      if (losesAdmin && (await otherActiveAdmins(trx, username)) === 0) return 'last_admin';
      const ended: string[] = [];
      if (role !== current.role) {
        await trx.updateTable('staff').set({ role }).where('username', '=', username).execute();
        await insertAudit(trx, [
          auditRecord(who, at, {
            action: 'staff_role_change',
            targetStaff: username,
            before: { role: current.role },
            after: { role },
          }),
        ]);
      }
      if (active !== wasActive) {
        await trx
          .updateTable('staff')
          .set({ disabled_at: active ? null : at })
          .where('username', '=', username)
          .execute();
        if (!active) ended.push(...(await endSessions(trx, username)));
        await insertAudit(trx, [
          auditRecord(who, at, {
            action: active ? 'staff_enable' : 'staff_disable',
            targetStaff: username,
            before: { active: wasActive },
            after: { active },
          }),
        ]);
      }
      return { ended };
    });
  }

  async setPassword(
    username: string,
    passwordHash: string,
    who: AuditWho,
    at: number,
    options: { keepTokenHash?: string; action?: 'staff_reset_password' | 'password_change' } = {},
  ) {
    return this.db.transaction().execute(async (trx): Promise<StaffRefusal | { ended: string[] }> => {
      const updated = await trx
        .updateTable('staff')
        .set({ password_hash: passwordHash, disabled_at: null })
        .where('username', '=', username)
        .executeTakeFirst();
      if (Number(updated.numUpdatedRows) === 0) return 'not_found';
      const ended = await endSessions(trx, username, options.keepTokenHash);
      await insertAudit(trx, [
        auditRecord(who, at, {
          action: options.action ?? 'staff_reset_password',
          targetStaff: username,
          after: { sessionsEnded: ended.length },
        }),
      ]);
      return { ended };
    });
  }
}
