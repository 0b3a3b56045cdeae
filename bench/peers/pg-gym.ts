import pg from 'pg';
import { monotonicFactory } from 'ulid';
import { GYM_SCHEMA, peerMemberIds } from '../lib/peer-store.js';
import type { PeerEvent, Result } from './peer-gym.js';

/** The peers' gym schema on PostgreSQL: the SQLite one with 64-bit times. */
export const PG_GYM_SCHEMA = GYM_SCHEMA.replace(/INTEGER/g, 'BIGINT');

/**
 * One message's whole rule check and write as one server-side function: the peer sends one
 * statement per message (`SELECT peer_apply(...)`), one round trip and one commit each, the
 * fastest a writer without batching gets on PostgreSQL. Answers `{ok, code?, duplicate?, visitId?,
 * name?}` as jsonb.
 */
const APPLY_FUNCTION = `
CREATE OR REPLACE FUNCTION peer_apply(p_id text, p_type text, p_data jsonb, p_now bigint, p_visit text)
RETURNS jsonb LANGUAGE plpgsql AS $$
DECLARE
  before text; m record; open_id text; result jsonb; at bigint;
BEGIN
  SELECT outcome INTO before FROM processed_messages WHERE id = p_id;
  IF FOUND THEN RETURN jsonb_build_object('ok', before = 'ok', 'duplicate', true); END IF;
  at := COALESCE((p_data->>'at')::bigint, p_now);
  IF p_type = 'client_stats' THEN
    INSERT INTO client_stats (client_id, received_at, stats)
      VALUES (COALESCE(p_data->>'clientId', 'desk'), p_now, p_data::text)
      ON CONFLICT (client_id) DO UPDATE SET received_at = excluded.received_at, stats = excluded.stats;
    result := jsonb_build_object('ok', true);
  ELSE
    SELECT id, name, status INTO m FROM members WHERE id = p_data->>'memberId';
    IF NOT FOUND THEN
      result := jsonb_build_object('ok', false, 'code', 'MEMBER_NOT_FOUND');
    ELSIF p_type = 'check_in' THEN
      IF m.status <> 'active' THEN
        result := jsonb_build_object('ok', false, 'code', 'MEMBERSHIP_INACTIVE');
      ELSIF EXISTS (SELECT 1 FROM visits WHERE member_id = m.id AND checked_out_at IS NULL) THEN
        result := jsonb_build_object('ok', false, 'code', 'ALREADY_CHECKED_IN');
      ELSE
        INSERT INTO visits (id, member_id, desk_id, checked_in_at) VALUES (p_visit, m.id, p_data->>'deskId', at);
        UPDATE members SET last_visit_at = at WHERE id = m.id;
        result := jsonb_build_object('ok', true, 'visitId', p_visit, 'name', m.name);
      END IF;
    ELSIF p_type = 'check_out' THEN
      SELECT id INTO open_id FROM visits WHERE member_id = m.id AND checked_out_at IS NULL;
      IF open_id IS NULL THEN
        result := jsonb_build_object('ok', false, 'code', 'NOT_CHECKED_IN');
      ELSE
        UPDATE visits SET checked_out_at = at WHERE id = open_id;
        result := jsonb_build_object('ok', true, 'visitId', open_id, 'name', m.name);
      END IF;
    ELSIF p_type = 'member_update' THEN
      UPDATE members SET notes = COALESCE(p_data->'changes'->>'notes', ''), version = version + 1, updated_at = p_now
        WHERE id = m.id;
      result := jsonb_build_object('ok', true);
    ELSE
      result := jsonb_build_object('ok', false, 'code', 'UNKNOWN_TYPE');
    END IF;
  END IF;
  INSERT INTO processed_messages (id, type, outcome, processed_at)
    VALUES (p_id, p_type, CASE WHEN (result->>'ok')::boolean THEN 'ok' ELSE COALESCE(result->>'code', 'rejected') END, p_now);
  RETURN result;
END $$;
`;

/** Creates the peers' schema, the apply function and `members` active members in `url`'s database. */
export async function preparePgGym(url: string, members: number): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(PG_GYM_SCHEMA);
    await client.query(APPLY_FUNCTION);
    const ids = peerMemberIds(members);
    const now = Date.now();
    await client.query(
      `INSERT INTO members (id, membership_number, name, plan, status, expires_at, created_at, updated_at)
       SELECT id, 'GYM-' || lpad(n::text, 6, '0'), 'Member ' || n, 'standard', 'active', '2099-12-31', $2, $2
       FROM unnest($1::text[]) WITH ORDINALITY AS t(id, n) ON CONFLICT DO NOTHING`,
      [ids, now],
    );
  } finally {
    await client.end();
  }
}

/**
 * The peers' gym on PostgreSQL: each message one statement on a pool (default 10 connections, what
 * `pg.Pool` gives a plain server), its ack after that statement's commit.
 */
export class PgPeerGym {
  private readonly pool: pg.Pool;
  private readonly newId = monotonicFactory();
  private seq = 0;

  constructor(url: string, connections = 10) {
    this.pool = new pg.Pool({ connectionString: url, max: connections });
  }

  /** Applies one message in its own statement (and commit); never rejects (a failure is `INTERNAL`). */
  async handle(type: string, id: string, data: unknown): Promise<Result> {
    try {
      const r = await this.pool.query<{ r: Record<string, unknown> }>(
        'SELECT peer_apply($1, $2, $3, $4, $5) AS r',
        [id, type, JSON.stringify(data ?? {}), Date.now(), this.newId()],
      );
      const out = r.rows[0]!.r;
      const outcome = {
        ok: out.ok === true,
        ...(typeof out.code === 'string' ? { code: out.code } : {}),
        ...(out.duplicate === true ? { duplicate: true } : {}),
      };
      if (!outcome.ok || (type !== 'check_in' && type !== 'check_out') || outcome.duplicate)
        return { outcome };
      const d = (data ?? {}) as Record<string, unknown>;
      const event: PeerEvent = {
        type: 'event',
        seq: ++this.seq,
        topic: 'check_ins',
        name: `${type}.created`,
        data: {
          visitId: out.visitId,
          memberId: d.memberId,
          memberName: out.name,
          deskId: typeof d.deskId === 'string' ? d.deskId : null,
          at: typeof d.at === 'number' ? d.at : Date.now(),
        },
      };
      return { outcome, event };
    } catch {
      return { outcome: { ok: false, code: 'INTERNAL' } };
    }
  }

  close(): Promise<void> {
    return this.pool.end();
  }
}
