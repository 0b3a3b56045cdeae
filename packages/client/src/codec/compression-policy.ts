/** Settings of {@link CompressionPolicy}. */
export interface CompressionPolicyOptions {
  /** Frames smaller than this (UTF-8 bytes of their JSON) go as text. */
  minBytes: number;
  /** Below this fraction saved, compressing is not worth it. Default 0.2. */
  minSavedRatio?: number;
  /** Link speed that prices saved bytes in time. Default 1250 bytes/ms (10 Mbit/s). */
  linkBytesPerMs?: number;
  /** Compressed frames judged together. Default 8. */
  sampleFrames?: number;
  /** How long compression stays off after a poor sample. Default 30000. */
  pauseMs?: number;
}

/**
 * When to compress: frames from `minBytes` up, while it pays. Every `sampleFrames` compressed
 * frames are judged together; compression pauses for `pauseMs` when they saved less than
 * `minSavedRatio`, or took longer to compress than the saved bytes take to cross the link.
 * After a pause it tries again with a fresh sample.
 */
export class CompressionPolicy {
  readonly #minBytes: number;
  readonly #minSavedRatio: number;
  readonly #linkBytesPerMs: number;
  readonly #sampleFrames: number;
  readonly #pauseMs: number;
  #pausedUntilMs = Number.NEGATIVE_INFINITY;
  #sample = { frames: 0, plainBytes: 0, wireBytes: 0, costMs: 0 };
  /** Times compression was paused as not paying. */
  pauses = 0;

  constructor(options: CompressionPolicyOptions) {
    this.#minBytes = options.minBytes;
    this.#minSavedRatio = options.minSavedRatio ?? 0.2;
    this.#linkBytesPerMs = options.linkBytesPerMs ?? 1250;
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
    s.frames++;
    s.plainBytes += plainBytes;
    s.wireBytes += wireBytes;
    s.costMs += Math.max(0, costMs);
    if (s.frames < this.#sampleFrames) return;
    const savedBytes = s.plainBytes - s.wireBytes;
    const poorRatio = savedBytes < this.#minSavedRatio * s.plainBytes;
    const tooSlow = s.costMs > savedBytes / this.#linkBytesPerMs;
    this.#sample = { frames: 0, plainBytes: 0, wireBytes: 0, costMs: 0 };
    if (poorRatio || tooSlow) {
      this.#pausedUntilMs = nowMs + this.#pauseMs;
      this.pauses++;
    }
  }
}
