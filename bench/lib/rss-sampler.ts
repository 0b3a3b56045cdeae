import { rssMb } from './child.js';

/** Samples a process's RSS every `everyMs` and keeps the peak since the last `mark()`. */
export class RssSampler {
  private peakMb = 0;
  private readonly timer: NodeJS.Timeout;

  constructor(
    private readonly pid: number,
    everyMs = 100,
  ) {
    this.timer = setInterval(() => this.sample(), everyMs);
  }

  /** Starts a new peak window. */
  mark(): void {
    this.peakMb = rssMb(this.pid) ?? 0;
  }

  /** The highest RSS seen since `mark()` (sampling once more now). */
  peak(): number {
    this.sample();
    return this.peakMb;
  }

  stop(): void {
    clearInterval(this.timer);
  }

  private sample(): void {
    const mb = rssMb(this.pid);
    if (mb !== undefined && mb > this.peakMb) this.peakMb = mb;
  }
}
