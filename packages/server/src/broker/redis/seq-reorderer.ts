import type { ServerEvent } from '@av-gym/protocol';
import { type Clock, systemClock } from '../../clock.js';

export interface SeqReordererOptions {
  /** Receives events in strictly increasing, gap-free seq order (except after a skipped gap). */
  deliver(events: readonly ServerEvent[]): void;
  /** How long a gap may stay open before it is filled or skipped. Default 500. */
  gapWaitMs?: number;
  /** Events held behind a gap past which it is skipped at once. Default 10000. */
  maxHeld?: number;
  /**
   * Reads missing seqs from where they are kept (the database's event log) once a gap has
   * waited `gapWaitMs`; whatever it cannot supply is skipped.
   */
  fill?(fromSeq: number, toSeq: number): Promise<readonly ServerEvent[]>;
  /** Told when a gap is given up on (an event committed but never published, e.g. a node died). */
  onGapSkipped?(fromSeq: number, toSeq: number): void;
  clock?: Clock;
}

/**
 * Puts events from several publishers back into global seq order. Each node commits its
 * seqs in order but publishes after COMMIT, so node B's seq 8 can reach Redis before node A's
 * seq 7; this holds 8 until 7 arrives (or `gapWaitMs` passes) and drops seqs already delivered.
 */
export class SeqReorderer {
  private next: number | undefined;
  private readonly held = new Map<number, ServerEvent>();
  private gapTimer: unknown;
  private filling = false;
  /** The newest seq known to exist (committed), whether or not it has arrived. */
  private expected = 0;
  private closed = false;
  private readonly clock: Clock;
  private readonly gapWaitMs: number;
  private readonly maxHeld: number;

  constructor(private readonly options: SeqReordererOptions) {
    this.clock = options.clock ?? systemClock;
    this.gapWaitMs = options.gapWaitMs ?? 500;
    this.maxHeld = options.maxHeld ?? 10_000;
  }

  /** The seq delivery waits for (undefined until the first event or {@link startAfter}). */
  get nextSeq(): number | undefined {
    return this.next;
  }

  /** Events waiting behind a gap. */
  get heldCount(): number {
    return this.held.size;
  }

  /** Delivery starts with `seq + 1`; anything at or below `seq` is dropped as already seen. */
  startAfter(seq: number): void {
    this.next = seq + 1;
    for (const s of this.held.keys()) if (s <= seq) this.held.delete(s);
    this.drain();
  }

  /**
   * Says seqs up to `seq` are committed: if they have not all arrived within `gapWaitMs`, they
   * are filled (or skipped) like a gap, even when no later event has come to reveal it.
   */
  expectUpTo(seq: number): void {
    if (this.closed || this.next === undefined || seq < this.next) return;
    this.expected = Math.max(this.expected, seq);
    this.drain();
  }

  push(events: readonly ServerEvent[]): void {
    if (this.closed || events.length === 0) return;
    if (this.next === undefined) this.next = Math.min(...events.map((e) => e.seq));
    for (const e of events) if (e.seq >= this.next) this.held.set(e.seq, e);
    if (this.held.size > this.maxHeld) this.skipGap();
    this.drain();
  }

  close(): void {
    this.closed = true;
    this.held.clear();
    this.clearGapTimer();
  }

  private drain(): void {
    if (this.next === undefined) return;
    const out: ServerEvent[] = [];
    for (let e = this.held.get(this.next); e !== undefined; e = this.held.get(this.next)) {
      out.push(e);
      this.held.delete(this.next);
      this.next++;
    }
    if (!this.hasGap()) this.clearGapTimer();
    else if (this.gapTimer === undefined && !this.filling)
      this.gapTimer = this.clock.setTimeout(() => {
        this.gapTimer = undefined;
        this.closeGap();
      }, this.gapWaitMs);
    if (out.length > 0) this.options.deliver(out);
  }

  private hasGap(): boolean {
    return this.held.size > 0 || (this.next !== undefined && this.expected >= this.next);
  }

  /** The last seq of the gap delivery waits on now. */
  private gapEnd(): number {
    return this.held.size > 0 ? Math.min(...this.held.keys()) - 1 : this.expected;
  }

  /** Fills the gap from `fill` when there is one, then skips what is still missing. */
  private closeGap(): void {
    const from = this.next;
    if (!this.options.fill || from === undefined || !this.hasGap()) {
      this.skipGap();
      this.drain();
      return;
    }
    const to = this.gapEnd();
    this.filling = true;
    const settle = (events: readonly ServerEvent[]) => {
      this.filling = false;
      if (this.closed) return;
      this.push(events.filter((e) => e.seq >= from && e.seq <= to));
      if (this.next !== undefined && this.next <= to) this.skipGap();
      this.drain();
    };
    this.options.fill(from, to).then(settle, () => settle([]));
  }

  private skipGap(): void {
    if (this.closed || this.next === undefined || !this.hasGap()) return;
    const end = this.gapEnd();
    this.options.onGapSkipped?.(this.next, end);
    this.next = end + 1;
  }

  private clearGapTimer(): void {
    if (this.gapTimer === undefined) return;
    this.clock.clearTimeout(this.gapTimer);
    this.gapTimer = undefined;
  }
}
