import type { ServerEvent } from '@av-gym/protocol';

/**
 * The last `capacity` events in seq order, for `resume`. A ring buffer: appending is O(1)
 * and memory never grows past `capacity` events.
 */
export class EventHistory {
  private readonly ring: (ServerEvent | undefined)[];
  private start = 0;
  private size = 0;
  private last: number;

  /** @param lastSeq the newest seq already committed before this history began (from the store). */
  constructor(
    readonly capacity: number,
    lastSeq = 0,
  ) {
    if (!Number.isInteger(capacity) || capacity < 1)
      throw new RangeError('capacity must be a positive integer');
    this.ring = new Array(capacity);
    this.last = lastSeq;
  }

  /** The newest seq seen. */
  get lastSeq(): number {
    return this.last;
  }

  /** Events held now. */
  get length(): number {
    return this.size;
  }

  /** Appends events in seq order; ones not newer than `lastSeq` are ignored. */
  append(events: readonly ServerEvent[]): void {
    for (const e of events) {
      if (e.seq <= this.last) continue;
      if (e.seq !== this.last + 1) this.clear();
      this.last = e.seq;
      const at = (this.start + this.size) % this.capacity;
      this.ring[at] = e;
      if (this.size < this.capacity) this.size++;
      else this.start = (this.start + 1) % this.capacity;
    }
  }

  /**
   * Every event after `seq`, in order, or `undefined` when the gap cannot be filled (too
   * old, or a seq this history has never reached).
   */
  since(seq: number): ServerEvent[] | undefined {
    if (seq === this.last) return [];
    if (seq > this.last) return undefined;
    const oldest = this.size === 0 ? this.last + 1 : this.at(0).seq;
    if (seq + 1 < oldest) return undefined;
    const out: ServerEvent[] = [];
    for (let i = seq + 1 - oldest; i < this.size; i++) out.push(this.at(i));
    return out;
  }

  private at(i: number): ServerEvent {
    return this.ring[(this.start + i) % this.capacity] as ServerEvent;
  }

  /** A hole in the seqs (events lost upstream): what came before can no longer be replayed gap-free. */
  private clear(): void {
    this.ring.fill(undefined);
    this.start = 0;
    this.size = 0;
  }
}
