import type { Member } from '@av-gym/protocol';

function nameKey(name: string): string {
  return name.trim().replace(/\s+/g, ' ').toLocaleLowerCase();
}

/** Ids of the members in `members` that share their name with another one of them. */
export function namesakeIds(members: readonly Member[]): Set<string> {
  const byName = new Map<string, string[]>();
  for (const m of members) {
    const key = nameKey(m.name);
    byName.set(key, [...(byName.get(key) ?? []), m.id]);
  }
  const ids = new Set<string>();
  for (const group of byName.values()) if (group.length > 1) for (const id of group) ids.add(id);
  return ids;
}

/** What tells one member from a namesake, in words: card number, email, phone. */
export function distinguishing(member: Member): string {
  return [`card ${member.membershipNumber}`, member.email, member.phone].filter(Boolean).join(' · ');
}
