import type { Visit } from '@av-gym/protocol';
import { overrideOf } from './check-in-alerts.js';

/** One line of the live feed. */
export interface FeedEntry {
  key: string;
  kind: 'in' | 'out';
  memberId: string;
  memberName: string;
  deskId: string | null;
  /** The visit's club (issue 17); absent from an older server. */
  clubId?: string;
  atMs: number;
  stayMinutes?: number;
  /** A check-in that overrode blocking alerts: who and why. */
  override?: { reason: string; by: string | null };
}

/** The feed lines that recent visits imply: a check-in each, and a check-out when closed. */
export function entriesFromVisits(visits: Visit[]): FeedEntry[] {
  const out: FeedEntry[] = [];
  for (const v of visits) {
    const base = {
      memberId: v.memberId,
      memberName: v.memberName,
      deskId: v.deskId,
      ...(v.clubId === undefined ? {} : { clubId: v.clubId }),
    };
    out.push({
      ...base,
      key: `${v.id}:in`,
      kind: 'in',
      atMs: v.checkedInAt,
      ...(v.override ? { override: v.override } : {}),
    });
    if (v.checkedOutAt !== null) {
      const stayMinutes = Math.round((v.checkedOutAt - v.checkedInAt) / 60_000);
      out.push({ ...base, key: `${v.id}:out`, kind: 'out', atMs: v.checkedOutAt, stayMinutes });
    }
  }
  return out;
}

/** The event of a check_ins topic as a feed line, or undefined for anything else. */
export function entryFromEvent(name: string, data: unknown): FeedEntry | undefined {
  if (name !== 'check_in.created' && name !== 'check_out.created') return undefined;
  const d = data as {
    visitId?: string;
    memberId?: string;
    memberName?: string;
    deskId?: string | null;
    at?: number;
    stayMinutes?: number;
    clubId?: string;
  };
  if (typeof d?.visitId !== 'string' || typeof d.at !== 'number') return undefined;
  const kind = name === 'check_in.created' ? 'in' : 'out';
  const override = kind === 'in' ? overrideOf(data) : undefined;
  return {
    key: `${d.visitId}:${kind}`,
    kind,
    memberId: d.memberId ?? '',
    memberName: d.memberName ?? 'Unknown member',
    deskId: d.deskId ?? null,
    ...(typeof d.clubId === 'string' ? { clubId: d.clubId } : {}),
    atMs: d.at,
    ...(typeof d.stayMinutes === 'number' ? { stayMinutes: d.stayMinutes } : {}),
    ...(override ? { override } : {}),
  };
}

/** Merges new lines into the feed: newest first, no line twice, at most `limit` lines. */
export function mergeFeed(feed: FeedEntry[], incoming: FeedEntry[], limit = 50): FeedEntry[] {
  const byKey = new Map<string, FeedEntry>();
  for (const e of [...incoming, ...feed]) if (!byKey.has(e.key)) byKey.set(e.key, e);
  return [...byKey.values()].sort((a, b) => b.atMs - a.atMs).slice(0, limit);
}
