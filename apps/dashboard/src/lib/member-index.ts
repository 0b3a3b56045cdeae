import { Member } from '@av-gym/protocol';
import { type DBSchema, type IDBPDatabase, openDB } from 'idb';

/** How many members the login fetch brings (`GET /api/members` answers at most 500). */
export const INDEX_FETCH_LIMIT = 500;

interface IndexDb extends DBSchema {
  members: { key: string; value: Member };
  meta: { key: string; value: { key: string; atMs: number } };
}

/** Case-insensitive match on name, membership number, email or phone, best first (number, then name start). */
export function searchIndex(members: Iterable<Member>, query: string, limit: number): Member[] {
  const q = query.trim().toLowerCase();
  if (q.length === 0) return [];
  const hits: { m: Member; rank: number }[] = [];
  for (const m of members) {
    const number = m.membershipNumber.toLowerCase();
    const name = m.name.toLowerCase();
    let rank = -1;
    if (number === q) rank = 0;
    else if (name.startsWith(q)) rank = 1;
    else if (name.includes(q) || number.includes(q)) rank = 2;
    else if (m.email?.toLowerCase().includes(q) || m.phone?.includes(q)) rank = 3;
    if (rank >= 0) hits.push({ m, rank });
  }
  hits.sort((a, b) => a.rank - b.rank || a.m.name.localeCompare(b.m.name));
  return hits.slice(0, limit).map((h) => h.m);
}

/**
 * This desk's copy of the member list, in IndexedDB (kept in memory too, for searching as one
 * types): filled at login, kept current from `member.*` events, read when the server is down.
 * `asOfMs` is when it last heard from the server (fetch or event).
 */
export class MemberIndex {
  readonly #members = new Map<string, Member>();
  readonly #db: Promise<IDBPDatabase<IndexDb> | undefined>;
  readonly #ready: Promise<void>;
  readonly #listeners = new Set<() => void>();
  asOfMs: number | null = null;

  /** Called after every change (fill, event); returns the unsubscribe function. */
  subscribe(listener: () => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  #changed(): void {
    for (const l of this.#listeners) l();
  }

  constructor(name: string) {
    this.#db =
      typeof indexedDB === 'undefined'
        ? Promise.resolve(undefined)
        : openDB<IndexDb>(`av-gym-members:${name}`, 1, {
            upgrade(db) {
              db.createObjectStore('members', { keyPath: 'id' });
              db.createObjectStore('meta', { keyPath: 'key' });
            },
          }).catch(() => undefined);
    this.#ready = this.#load();
  }

  /** Resolves once the copy saved on this desk is in memory. */
  ready(): Promise<void> {
    return this.#ready;
  }

  get size(): number {
    return this.#members.size;
  }

  search(query: string, limit: number): Member[] {
    return searchIndex(this.#members.values(), query, limit);
  }

  byNumber(code: string): Member | undefined {
    const c = code.trim().toUpperCase();
    for (const m of this.#members.values()) if (m.membershipNumber.toUpperCase() === c) return m;
    return undefined;
  }

  byId(id: string): Member | undefined {
    return this.#members.get(id);
  }

  /** The whole list as the server sent it now (members it no longer lists are dropped). */
  async replaceAll(members: readonly Member[], atMs: number): Promise<void> {
    await this.#ready;
    this.#members.clear();
    for (const m of members) this.#members.set(m.id, m);
    this.asOfMs = atMs;
    this.#changed();
    const db = await this.#db;
    if (!db) return;
    const tx = db.transaction(['members', 'meta'], 'readwrite');
    await tx.objectStore('members').clear();
    for (const m of members) await tx.objectStore('members').put(m);
    await tx.objectStore('meta').put({ key: 'asOf', atMs });
    await tx.done;
  }

  /** One member from an event (created or updated); an older version never replaces a newer one. */
  async upsert(member: Member, atMs: number): Promise<void> {
    await this.#ready;
    const old = this.#members.get(member.id);
    if (old && old.version > member.version) return;
    this.#members.set(member.id, member);
    this.asOfMs = Math.max(this.asOfMs ?? 0, atMs);
    this.#changed();
    const db = await this.#db;
    if (!db) return;
    const tx = db.transaction(['members', 'meta'], 'readwrite');
    await tx.objectStore('members').put(member);
    await tx.objectStore('meta').put({ key: 'asOf', atMs: this.asOfMs });
    await tx.done;
  }

  async #load(): Promise<void> {
    const db = await this.#db;
    if (!db) return;
    try {
      for (const raw of await db.getAll('members')) {
        const parsed = Member.safeParse(raw);
        if (parsed.success) this.#members.set(parsed.data.id, parsed.data);
      }
      this.asOfMs = (await db.get('meta', 'asOf'))?.atMs ?? null;
      this.#changed();
    } catch {
      // a copy that cannot be read is no copy: the next login fills it again
    }
  }
}

/** "14:02": the time of day a copy or a figure is from. */
export function clockTime(atMs: number): string {
  return new Date(atMs).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', hour12: false });
}

/** The words under every answer read from the copy. */
export function offlineNote(asOfMs: number | null): string {
  return `offline: from this desk's copy, as of ${asOfMs === null ? 'never filled' : clockTime(asOfMs)}`;
}

let current: { name: string; index: MemberIndex } | undefined;

/** The tab's member index for this desk. */
export function memberIndexFor(name: string): MemberIndex {
  if (current?.name !== name) current = { name, index: new MemberIndex(name) };
  return current.index;
}
