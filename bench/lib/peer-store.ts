import Database from 'better-sqlite3';

/**
 * The minimal gym schema the peers and the SQLite ceiling write to: the same tables as the
 * av-gym store (members, visits, processed message ids, client stats), same keys and indexes.
 */
export const GYM_SCHEMA = `
CREATE TABLE IF NOT EXISTS members (
  id TEXT PRIMARY KEY, membership_number TEXT NOT NULL UNIQUE, name TEXT NOT NULL, email TEXT, phone TEXT,
  plan TEXT NOT NULL, status TEXT NOT NULL, expires_at TEXT NOT NULL, notes TEXT NOT NULL DEFAULT '',
  version INTEGER NOT NULL DEFAULT 1, last_visit_at INTEGER, created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS visits (
  id TEXT PRIMARY KEY, member_id TEXT NOT NULL REFERENCES members(id), desk_id TEXT,
  checked_in_at INTEGER NOT NULL, checked_out_at INTEGER);
CREATE INDEX IF NOT EXISTS visits_open ON visits(member_id) WHERE checked_out_at IS NULL;
CREATE INDEX IF NOT EXISTS visits_in ON visits(checked_in_at);
CREATE TABLE IF NOT EXISTS processed_messages (
  id TEXT PRIMARY KEY, type TEXT NOT NULL, outcome TEXT NOT NULL, processed_at INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS client_stats (client_id TEXT PRIMARY KEY, received_at INTEGER NOT NULL, stats TEXT NOT NULL);
`;

/** SQLite's durability setting of the peers and the ceiling: FULL like the av-gym store (issue 15). */
export type Synchronous = 'FULL' | 'NORMAL';

/**
 * The peers' and the ceiling's durability: `PEER_SYNCHRONOUS` (FULL or NORMAL), default FULL, the
 * av-gym store's setting, so an ack means the same thing (the commit survives power loss) on every side.
 */
export function peerSynchronous(env: NodeJS.ProcessEnv = process.env): Synchronous {
  return env.PEER_SYNCHRONOUS === 'NORMAL' ? 'NORMAL' : 'FULL';
}

/** Opens (and creates) a gym database on disk the way a production server would: WAL, `synchronous` (default FULL). */
export function openGymDb(file: string, synchronous: Synchronous = peerSynchronous()): Database.Database {
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma(`synchronous = ${synchronous}`);
  db.exec(GYM_SCHEMA);
  return db;
}

/** Member ids of the seeded peer gym: `m_0000` ... */
export function peerMemberIds(count: number): string[] {
  return Array.from({ length: count }, (_, i) => `m_${String(i).padStart(4, '0')}`);
}

/** Seeds `count` active members (idempotent). */
export function seedMembers(db: Database.Database, count: number): void {
  const insert = db.prepare(
    `INSERT OR IGNORE INTO members (id, membership_number, name, plan, status, expires_at, created_at, updated_at)
     VALUES (?, ?, ?, 'standard', 'active', '2099-12-31', ?, ?)`,
  );
  const now = Date.now();
  db.transaction(() => {
    peerMemberIds(count).forEach((id, i) => {
      insert.run(id, `GYM-${String(i).padStart(6, '0')}`, `Member ${i}`, now, now);
    });
  })();
}
