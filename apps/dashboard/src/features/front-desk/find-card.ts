import type { Member } from '@av-gym/protocol';
import { isOnline } from '../../app/desk-context.js';
import type { Api } from '../../lib/api.js';
import { memberIndexFor, offlineNote } from '../../lib/member-index.js';
import type { Realtime } from '../../lib/realtime.js';

/** Who holds a card: from the server when it answers, else from this desk's copy (with a note saying so). */
export type CardLookup = { members: Member[]; offlineNote: string | null } | { error: string };

export async function findByCard(api: Api, realtime: Realtime, code: string): Promise<CardLookup> {
  const wanted = code.toUpperCase();
  if (isOnline(realtime.state)) {
    try {
      const found = await api.searchMembers({ q: code, limit: 10 });
      return { members: found.filter((m) => m.membershipNumber.toUpperCase() === wanted), offlineNote: null };
    } catch {
      // the server went away between the state and the request: the desk's copy answers
    }
  }
  const index = memberIndexFor(realtime.clientId);
  await index.ready();
  if (index.size === 0)
    return { error: 'The member list cannot be reached right now, and this desk has no copy of it yet.' };
  const member = index.byNumber(code);
  return { members: member ? [member] : [], offlineNote: offlineNote(index.asOfMs) };
}
