import type { Member } from '@av-gym/protocol';
import type { ServerProcess } from './server-process.js';

async function getJson<T>(server: ServerProcess, token: string, path: string): Promise<T> {
  const res = await fetch(`${server.url}${path}`, { headers: { authorization: `Bearer ${token}` } });
  if (!res.ok) throw new Error(`GET ${path}: HTTP ${res.status}`);
  return (await res.json()) as T;
}

/** Members of the demo gym for the tests: active ones not in the gym, and an expired one. */
export async function pickMembers(server: ServerProcess): Promise<{ active: Member[]; expired: Member }> {
  const token = await server.token();
  const today = new Date().toISOString().slice(0, 10);
  const { members } = await getJson<{ members: Member[] }>(
    server,
    token,
    '/api/members?status=active&limit=200',
  );
  const { visits } = await getJson<{ visits: { memberId: string }[] }>(
    server,
    token,
    '/api/visits?open=true&limit=500',
  );
  const inside = new Set(visits.map((v) => v.memberId));
  // a desk never set up is at the default club: a home-only member of another club is refused there
  const usable = (m: Member) => m.accessRule !== 'home' || (m.homeClubId ?? 'main') === 'main';
  const active = members.filter((m) => !inside.has(m.id) && m.expiresAt > today && usable(m));
  const expiredList = await getJson<{ members: Member[] }>(
    server,
    token,
    '/api/members?status=expired&limit=5',
  );
  const expired = expiredList.members[0];
  if (active.length < 4 || !expired) throw new Error('the demo gym lacks the members these tests need');
  return { active, expired };
}
