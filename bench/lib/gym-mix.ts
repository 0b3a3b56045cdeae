import { ulid } from 'ulid';
import { pooledPrng } from './pooled-prng.js';

/** One logical message of the gym mix, as every variant sends it. */
export interface GymMessage {
  type: 'check_in' | 'check_out' | 'member_update' | 'client_stats';
  id: string;
  data: Record<string, unknown>;
}

const prng = pooledPrng();

/** Shares of the gym mix, per 20 messages: 7 check_in, 7 check_out, 4 member_update, 2 client_stats. */
const PATTERN: readonly ('visit' | 'member_update' | 'client_stats')[] = [
  'visit',
  'visit',
  'member_update',
  'visit',
  'visit',
  'client_stats',
  'visit',
  'visit',
  'member_update',
  'visit',
  'visit',
  'visit',
  'member_update',
  'visit',
  'visit',
  'client_stats',
  'visit',
  'visit',
  'member_update',
  'visit',
];

const NOTES = [
  'prefers the morning slot',
  'asked about the sauna',
  'locker 12',
  'new towel card',
  'PT on Fridays',
];

/**
 * The message stream of one desk: check-ins and check-outs alternate per member (so nearly all are
 * accepted), with member updates and client_stats between them. Each desk owns its own members, so
 * desks never contend for the same visit. Ids are fresh ULIDs (time-ordered, random tail: the
 * worst case for compression, as ids made in different milliseconds are).
 */
export class GymMix {
  private readonly inside = new Set<string>();
  private readonly nextId = (): string => ulid(undefined, prng);
  private visitTurn = 0;
  private step = 0;
  private updates = 0;

  constructor(
    private readonly deskId: string,
    private readonly memberIds: readonly string[],
  ) {
    if (memberIds.length === 0) throw new Error(`desk ${deskId} has no members`);
  }

  next(): GymMessage {
    const kind = PATTERN[this.step++ % PATTERN.length];
    if (kind === 'member_update') return this.memberUpdate();
    if (kind === 'client_stats') return this.clientStats();
    return this.visit();
  }

  /** The next check-in or check-out (the high-priority part of the mix). */
  visit(): GymMessage {
    const memberId = this.memberIds[this.visitTurn++ % this.memberIds.length]!;
    const inside = this.inside.has(memberId);
    if (inside) this.inside.delete(memberId);
    else this.inside.add(memberId);
    return {
      type: inside ? 'check_out' : 'check_in',
      id: this.nextId(),
      data: { memberId, deskId: this.deskId },
    };
  }

  private memberUpdate(): GymMessage {
    const memberId = this.memberIds[this.updates % this.memberIds.length]!;
    const notes = `${NOTES[this.updates % NOTES.length]} (${this.updates++})`;
    return { type: 'member_update', id: this.nextId(), data: { memberId, changes: { notes } } };
  }

  private clientStats(): GymMessage {
    const p50 = 2 + (this.step % 7);
    return {
      type: 'client_stats',
      id: this.nextId(),
      data: {
        state: 'open',
        quality: { score: 97, latency: 100, dropRate: 100, stability: 100 },
        latencyMs: { avg: p50 + 1, p50, p95: p50 * 3 },
        reconnects: 0,
      },
    };
  }
}

/** Splits `memberIds` round-robin over `desks` desks; each desk gets at least one member. */
export function membersOfDesk(memberIds: readonly string[], desks: number, desk: number): string[] {
  const own = memberIds.filter((_, i) => i % desks === desk);
  return own.length > 0 ? own : [memberIds[desk % memberIds.length]!];
}
