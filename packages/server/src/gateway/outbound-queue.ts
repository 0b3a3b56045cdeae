import type { ServerEvent } from '@av-gym/protocol';
import type { OutboundBudget } from './outbound-budget.js';

/** The part of a `ws` WebSocket the queue uses. */
export interface OutboundSocket {
  readonly bufferedAmount: number;
  send(data: Buffer, options: { binary: boolean }, cb: (err?: Error) => void): void;
}

/** One frame to send; frames of events keep them so droppable ones can be shed later. */
export interface OutboundItem {
  data: Buffer;
  /** A binary frame (a `compact-deflate` ack); text otherwise. */
  binary?: boolean;
  events?: readonly ServerEvent[];
}

export interface OutboundQueueOptions {
  /** Past this many bytes (socket buffer + pending) new frames wait and droppable events are shed. */
  softBytes: number;
  /** Past this many bytes the reader is too slow: `onOverflow` runs and the queue closes. */
  hardBytes: number;
  isDroppable(event: ServerEvent): boolean;
  /** Re-encodes what is left of an events frame after shedding. */
  encode(events: readonly ServerEvent[]): Buffer;
  onOverflow(): void;
  /** Counts shed events. */
  onDrop?(count: number): void;
  onWrite?(bytes: number): void;
  /** Shared by every connection: once spent, a queue past its soft limit overflows too. */
  budget?: OutboundBudget;
}

/**
 * A per-connection outbound queue with backpressure: writes at once while the socket keeps
 * up, holds frames while it does not, sheds droppable events first, and gives up (via
 * `onOverflow`) past a hard byte limit, so one slow reader never grows the server's memory
 * without bound.
 */
export class OutboundQueue {
  private pending: (OutboundItem & { shed?: boolean })[] = [];
  private pendingBytesNow = 0;
  private closed = false;
  private droppedTotal = 0;
  /** Depth last reported to the shared budget. */
  private reportedBytes = 0;
  private readonly pump = (): void => {
    this.flush();
    this.report();
  };

  constructor(
    private readonly socket: OutboundSocket,
    private readonly options: OutboundQueueOptions,
  ) {}

  /** Bytes waiting here plus bytes the socket has not written yet. */
  get depthBytes(): number {
    return this.pendingBytesNow + this.socket.bufferedAmount;
  }

  /** Frames waiting here (not yet handed to the socket). */
  get pendingFrames(): number {
    return this.pending.length;
  }

  /** Events shed so far. */
  get dropped(): number {
    return this.droppedTotal;
  }

  get isClosed(): boolean {
    return this.closed;
  }

  /** Queues or writes a frame; false once the queue is closed (frame discarded). */
  push(item: OutboundItem): boolean {
    if (this.closed) return false;
    if (this.pending.length === 0 && this.socket.bufferedAmount < this.options.softBytes) {
      this.write(item);
    } else {
      this.pending.push(item);
      this.pendingBytesNow += item.data.length;
      if (this.depthBytes > this.options.softBytes) this.shed();
    }
    this.report();
    const depth = this.depthBytes;
    const budget = this.options.budget;
    if (depth > this.options.hardBytes || (budget?.spent && depth > this.options.softBytes)) {
      this.close();
      this.options.onOverflow();
      return false;
    }
    return true;
  }

  /** Discards what waits and refuses further frames. */
  close(): void {
    this.closed = true;
    this.pending = [];
    this.pendingBytesNow = 0;
    this.options.budget?.adjust(-this.reportedBytes);
    this.reportedBytes = 0;
  }

  private report(): void {
    if (this.closed || !this.options.budget) return;
    const depth = this.depthBytes;
    this.options.budget.adjust(depth - this.reportedBytes);
    this.reportedBytes = depth;
  }

  /** Hands waiting frames to the socket while it keeps under the soft limit. */
  flush(): void {
    while (!this.closed && this.pending.length > 0 && this.socket.bufferedAmount < this.options.softBytes) {
      const item = this.pending.shift() as OutboundItem;
      this.pendingBytesNow -= item.data.length;
      this.write(item);
    }
  }

  private write(item: OutboundItem): void {
    this.options.onWrite?.(item.data.length);
    this.socket.send(item.data, { binary: item.binary === true }, this.pump);
  }

  /** Removes droppable events from waiting frames (each frame is looked at once). */
  private shed(): void {
    const kept: (OutboundItem & { shed?: boolean })[] = [];
    let bytes = 0;
    let dropped = 0;
    for (const item of this.pending) {
      if (item.shed || !item.events) {
        kept.push(item);
        bytes += item.data.length;
        continue;
      }
      const rest = item.events.filter((e) => !this.options.isDroppable(e));
      dropped += item.events.length - rest.length;
      if (rest.length === 0) continue;
      const next =
        rest.length === item.events.length
          ? { ...item, shed: true }
          : { data: this.options.encode(rest), events: rest, shed: true };
      kept.push(next);
      bytes += next.data.length;
    }
    this.pending = kept;
    this.pendingBytesNow = bytes;
    if (dropped > 0) {
      this.droppedTotal += dropped;
      this.options.onDrop?.(dropped);
    }
  }
}
