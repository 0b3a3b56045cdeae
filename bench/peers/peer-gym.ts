import type Database from 'better-sqlite3';
import { monotonicFactory } from 'ulid';
import { openGymDb, seedMembers } from '../lib/peer-store.js';

/** What a peer answers for one message. */
export interface PeerOutcome {
  ok: boolean;
  code?: string;
  duplicate?: boolean;
}

/** An event the peer publishes to dashboards after the commit. */
export interface PeerEvent {
  type: 'event';
  seq: number;
  topic: string;
  name: string;
  data: Record<string, unknown>;
}

interface MemberRow {
  id: string;
  name: string;
  status: string;
}

/**
 * The gym logic of the peer baselines, written the way a straightforward server would: one
 * message, one transaction (idempotency check, rule check, write, processed id), then the event.
 */
export class PeerGym {
  private readonly db: Database.Database;
  private readonly newId = monotonicFactory();
  private seq = 0;
  private readonly apply: (type: string, id: string, data: Record<string, unknown>) => Result;

  constructor(file: string, members: number) {
    this.db = openGymDb(file);
    seedMembers(this.db, members);
    const db = this.db;
    const processed = db.prepare('SELECT outcome FROM processed_messages WHERE id = ?').pluck();
    const markProcessed = db.prepare(
      'INSERT INTO processed_messages (id, type, outcome, processed_at) VALUES (?, ?, ?, ?)',
    );
    const member = db.prepare('SELECT id, name, status FROM members WHERE id = ?');
    const openVisit = db
      .prepare('SELECT id FROM visits WHERE member_id = ? AND checked_out_at IS NULL')
      .pluck();
    const insertVisit = db.prepare(
      'INSERT INTO visits (id, member_id, desk_id, checked_in_at) VALUES (?, ?, ?, ?)',
    );
    const closeVisit = db.prepare('UPDATE visits SET checked_out_at = ? WHERE id = ?');
    const touchMember = db.prepare('UPDATE members SET last_visit_at = ? WHERE id = ?');
    const updateNotes = db.prepare(
      'UPDATE members SET notes = ?, version = version + 1, updated_at = ? WHERE id = ?',
    );
    const upsertStats = db.prepare(
      `INSERT INTO client_stats (client_id, received_at, stats) VALUES (?, ?, ?)
       ON CONFLICT(client_id) DO UPDATE SET received_at = excluded.received_at, stats = excluded.stats`,
    );
    this.apply = db.transaction((type: string, id: string, data: Record<string, unknown>): Result => {
      const before = processed.get(id) as string | undefined;
      if (before !== undefined) return { outcome: { ok: before === 'ok', duplicate: true } };
      const now = Date.now();
      // Like the av-gym server, a client's `at` is the time of the visit (and of its event).
      const at = typeof data.at === 'number' ? data.at : now;
      const result = ((): Result => {
        if (type === 'client_stats') {
          upsertStats.run(String(data.clientId ?? 'desk'), now, JSON.stringify(data));
          return { outcome: { ok: true } };
        }
        const row = member.get(String(data.memberId)) as MemberRow | undefined;
        if (!row) return { outcome: { ok: false, code: 'MEMBER_NOT_FOUND' } };
        const deskId = typeof data.deskId === 'string' ? data.deskId : null;
        if (type === 'check_in') {
          if (row.status !== 'active') return { outcome: { ok: false, code: 'MEMBERSHIP_INACTIVE' } };
          if (openVisit.get(row.id) !== undefined)
            return { outcome: { ok: false, code: 'ALREADY_CHECKED_IN' } };
          const visitId = this.newId();
          insertVisit.run(visitId, row.id, deskId, at);
          touchMember.run(at, row.id);
          return { outcome: { ok: true }, event: this.event('check_in.created', visitId, row, deskId, at) };
        }
        if (type === 'check_out') {
          const visitId = openVisit.get(row.id) as string | undefined;
          if (visitId === undefined) return { outcome: { ok: false, code: 'NOT_CHECKED_IN' } };
          closeVisit.run(at, visitId);
          return { outcome: { ok: true }, event: this.event('check_out.created', visitId, row, deskId, at) };
        }
        if (type === 'member_update') {
          const changes = (data.changes ?? {}) as Record<string, unknown>;
          updateNotes.run(String(changes.notes ?? ''), now, row.id);
          return { outcome: { ok: true } };
        }
        return { outcome: { ok: false, code: 'UNKNOWN_TYPE' } };
      })();
      markProcessed.run(id, type, result.outcome.ok ? 'ok' : (result.outcome.code ?? 'rejected'), now);
      return result;
    });
  }

  /** Applies one message in its own transaction; never throws (a failure is `INTERNAL`). */
  handle(type: string, id: string, data: unknown): Result {
    try {
      return this.apply(type, id, (data ?? {}) as Record<string, unknown>);
    } catch {
      return { outcome: { ok: false, code: 'INTERNAL' } };
    }
  }

  close(): void {
    this.db.close();
  }

  private event(name: string, visitId: string, row: MemberRow, deskId: string | null, at: number): PeerEvent {
    return {
      type: 'event',
      seq: ++this.seq,
      topic: 'check_ins',
      name,
      data: { visitId, memberId: row.id, memberName: row.name, deskId, at },
    };
  }
}

export interface Result {
  outcome: PeerOutcome;
  event?: PeerEvent;
}
