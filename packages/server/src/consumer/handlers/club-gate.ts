import type { Club } from '@av-gym/protocol';
import type { MemberRecord } from '../../store/records.js';
import { DEFAULT_CLUB_ID } from '../../store/schema.js';
import type { StoreTx } from '../../store/write-store.js';

/** Why a check-in at a club is refused by the club rules (issue 17). */
export interface ClubRefusal {
  code: 'CLUB_NOT_ALLOWED' | 'CAPACITY_REACHED';
  text: string;
  /** CAPACITY_REACHED may be overridden by a role allowed `alert_override`; CLUB_NOT_ALLOWED may not. */
  overridable: boolean;
}

/**
 * The club rules of one batch of check-ins, loaded in three set-based reads
 * ({@link StoreTx.clubContext}): which club each desk is at, who may use it, and how full it is.
 * Counts move as the batch admits members, so a batch of 10 at capacity-2 admits exactly 2.
 */
export class ClubGate {
  readonly #clubs: Map<string, Club>;
  readonly #default: Club;
  readonly #desks: Map<string, string>;
  readonly #open: Map<string, number>;

  private constructor(clubs: readonly Club[], desks: Map<string, string>, open: Map<string, number>) {
    this.#clubs = new Map(clubs.map((c) => [c.id, c]));
    this.#default = clubs[0] ?? { id: DEFAULT_CLUB_ID, name: 'Main club', capacity: 120, timeZone: 'UTC' };
    this.#desks = desks;
    this.#open = open;
  }

  /** Loads the clubs, the clubs of these desks and the open visits per club. */
  static async load(tx: StoreTx, deskIds: readonly (string | undefined)[]): Promise<ClubGate> {
    const ids = deskIds.filter((d): d is string => d !== undefined);
    const context = await tx.clubContext(ids);
    return new ClubGate(context.clubs, context.desks, context.openByClub);
  }

  /** The desk's club: the one it was set up for, else the default (first) club. */
  clubOf(deskId: string | undefined): Club {
    const id = deskId === undefined ? undefined : this.#desks.get(deskId);
    return (id === undefined ? undefined : this.#clubs.get(id)) ?? this.#default;
  }

  /** The member's access rule at `club`: a home-only member elsewhere is refused in words. */
  accessRefusal(member: MemberRecord, club: Club): ClubRefusal | undefined {
    const home = member.homeClubId ?? DEFAULT_CLUB_ID;
    if (member.accessRule !== 'home' || home === club.id) return undefined;
    const homeName = this.#clubs.get(home)?.name ?? home;
    return {
      code: 'CLUB_NOT_ALLOWED',
      text: `${member.name}'s membership is for ${homeName} only; this desk is at ${club.name}`,
      overridable: false,
    };
  }

  /** CAPACITY_REACHED when one more visit would take `club` past its capacity. */
  capacityRefusal(club: Club): ClubRefusal | undefined {
    const current = this.#open.get(club.id) ?? 0;
    if (current < club.capacity) return undefined;
    return {
      code: 'CAPACITY_REACHED',
      text: `${club.name} is full (${current} of ${club.capacity} in the club)`,
      overridable: true,
    };
  }

  /** Counts an admitted visit at `club`. */
  admit(club: Club): void {
    this.#open.set(club.id, (this.#open.get(club.id) ?? 0) + 1);
  }
}

/**
 * The ids of every club when any of `wanted` names one (one read), else an empty set without a
 * query: member_create / member_update check a `homeClubId` against it.
 */
export async function knownClubIds(
  tx: StoreTx,
  wanted: readonly (string | undefined)[],
): Promise<Set<string>> {
  if (!wanted.some((id) => id !== undefined)) return new Set();
  const context = await tx.clubContext([]);
  return new Set(context.clubs.map((c) => c.id));
}
