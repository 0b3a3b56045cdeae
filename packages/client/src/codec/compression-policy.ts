/** Settings of {@link CompressionPolicy}. */
export interface CompressionPolicyOptions {
  /** Frames smaller than this (UTF-8 bytes of their JSON) go as text. */
  minBytes: number;
  /** Below this fraction saved, compressing is not worth it. Default 0.2. */
  minSavedRatio?: number;
  /** Link speed that prices saved bytes in time. Default 1250 bytes/ms (10 Mbit/s). */
  linkBytesPerMs?: number;
  /**
   * Most of the elapsed time compressing may take (over a sample, from its first frame's start to
   * its last frame's end): past it compression costs throughput. Default 0.25.
   */
  maxBusyShare?: number;
  /** Compressed frames judged together. Default 8. */
  sampleFrames?: number;
  /** How long compression stays off after a poor sample. Default 30000. */
  pauseMs?: number;
}

/**
 * When to compress: frames from `minBytes` up, while it pays. Every `sampleFrames` compressed
 * frames are judged together; compression pauses for `pauseMs` when they saved less than
 * `minSavedRatio`, took longer to compress than the saved bytes take to cross the link, or kept
 * the compressor busy more than `maxBusyShare` of the time (a sender that is CPU-bound, not
 * link-bound). After a pause it tries again with a fresh sample. An async compressor's cost is
 * its wall time, waiting included: a conservative measure.
 */
export class CompressionPolicy {
  readonly #minBytes: number;
  readonly #minSavedRatio: number;
  readonly #linkBytesPerMs: number;
  readonly #maxBusyShare: number;
  readonly #sampleFrames: number;
  readonly #pauseMs: number;
  #pausedUntilMs = Number.NEGATIVE_INFINITY;
  #sample = emptySample();
  /** Times compression was paused as not paying. */
  pauses = 0;

  constructor(options: CompressionPolicyOptions) {
    this.#minBytes = options.minBytes;
    this.#minSavedRatio = options.minSavedRatio ?? 0.2;
    this.#linkBytesPerMs = options.linkBytesPerMs ?? 1250;
    this.#maxBusyShare = options.maxBusyShare ?? 0.25;
    this.#sampleFrames = options.sampleFrames ?? 8;
    this.#pauseMs = options.pauseMs ?? 30_000;
  }

  /** Whether a frame of `bytes` should be compressed now. */
  shouldCompress(bytes: number, nowMs: number): boolean {
    return bytes >= this.#minBytes && !this.paused(nowMs);
  }

  paused(nowMs: number): boolean {
    return nowMs < this.#pausedUntilMs;
  }

  /** One compressed frame: its plain and compressed sizes and what compressing it took. */
  record(plainBytes: number, wireBytes: number, costMs: number, nowMs: number): void {
    const s = this.#sample;
    if (s.frames === 0) s.startMs = nowMs - Math.max(0, costMs);
    s.frames++;
    s.plainBytes += plainBytes;
    s.wireBytes += wireBytes;
    s.costMs += Math.max(0, costMs);
    if (s.frames < this.#sampleFrames) return;
    const savedBytes = s.plainBytes - s.wireBytes;
    const poorRatio = savedBytes < this.#minSavedRatio * s.plainBytes;
    const tooSlow = s.costMs > savedBytes / this.#linkBytesPerMs;
    const tooBusy = s.costMs > this.#maxBusyShare * Math.max(nowMs - s.startMs, s.costMs / s.frames);
    this.#sample = emptySample();
    if (poorRatio || tooSlow || tooBusy) {
      this.#pausedUntilMs = nowMs + this.#pauseMs;
      this.pauses++;
    }
  }
}

function emptySample() {
  return { frames: 0, plainBytes: 0, wireBytes: 0, costMs: 0, startMs: 0 };
}
