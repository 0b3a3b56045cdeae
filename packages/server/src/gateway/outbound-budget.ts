/**
 * One byte budget for the outbound queues of every connection together. A per-connection
 * hard limit alone lets N slow readers hold N times that limit; with the budget spent, a
 * connection that is itself behind (past its soft limit) is closed as a slow consumer, so
 * readers that keep up are never the ones to pay.
 */
export class OutboundBudget {
  private total = 0;

  constructor(readonly limitBytes: number) {}

  /** Bytes every queue reported as waiting (socket buffers included), last time each looked. */
  get usedBytes(): number {
    return this.total;
  }

  /** Adds a queue's change in depth (negative when it drained). */
  adjust(deltaBytes: number): void {
    this.total = Math.max(0, this.total + deltaBytes);
  }

  get spent(): boolean {
    return this.total > this.limitBytes;
  }
}
