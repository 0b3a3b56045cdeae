import type { Priority } from '@av-gym/protocol';
import type { PriorityQueue } from './priority-queue.js';
import type { QueuedMessage } from './queued-message.js';

/** Merges a later message's data into an earlier queued one of the same type and key. */
export type MergeData = (earlier: unknown, later: unknown) => unknown;

/**
 * The fields of a message's data. `send` takes data as `unknown` (validation can be off), so a
 * merge must survive anything: what is not an object has no fields.
 */
type Fields = Readonly<Partial<Record<string, unknown>>>;
const fieldsOf = (v: unknown): Fields => (v !== null && typeof v === 'object' ? (v as Fields) : {});

/**
 * `member_update`: later fields win, `baseVersion` is the first one's (the version the edits
 * started from), so the merged update is refused exactly when the first alone would be.
 */
export const mergeMemberUpdate: MergeData = (earlier, later) => {
  const a = fieldsOf(earlier);
  const b = fieldsOf(later);
  return { ...a, changes: { ...fieldsOf(a.changes), ...fieldsOf(b.changes) } };
};

/** The types coalesced by default: several `member_update`s of one member become one. */
export const DEFAULT_COALESCERS: Readonly<Record<string, MergeData>> = Object.freeze({
  member_update: mergeMemberUpdate,
});

const RANK: Record<Priority, number> = { high: 0, medium: 1, low: 2 };

/**
 * Coalescing within one window: an incoming message merges into the newest queued (unsent)
 * message of its member if that one has the same coalescible type. Only the newest: merging
 * across another message of the member (say a check_in between two updates) would reorder
 * their effects.
 */
export class Coalescer {
  readonly #merge: Readonly<Record<string, MergeData>>;

  constructor(merge: Readonly<Record<string, MergeData>> = DEFAULT_COALESCERS) {
    this.#merge = merge;
  }

  /** The queued message `incoming` merged into, or undefined when it cannot be coalesced. */
  tryMerge(
    queue: PriorityQueue,
    incoming: { type: string; key: string | undefined; data: unknown; priority: Priority },
  ): QueuedMessage | undefined {
    if (incoming.key === undefined || !Object.hasOwn(this.#merge, incoming.type)) return undefined;
    const target = queue.lastOfKey(incoming.key);
    if (target === undefined || target.type !== incoming.type || target.sends > 0) return undefined;
    const merge = this.#merge[incoming.type];
    if (merge === undefined) return undefined;
    target.data = merge(target.data, incoming.data);
    if (RANK[incoming.priority] < RANK[target.priority]) queue.reprioritize(target, incoming.priority);
    return target;
  }
}
