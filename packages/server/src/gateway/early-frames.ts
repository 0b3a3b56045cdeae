/** Frames held between `hello` and `welcome`: at most this many... */
export const EARLY_FRAME_LIMIT = 32;
/** ...and at most this many bytes together. */
export const EARLY_BYTES_LIMIT = 1024 * 1024;

export interface EarlyFrame {
  raw: Buffer;
  isBinary: boolean;
}

/**
 * The frames a client sent after `hello` while its token is being checked, kept (bounded) to be
 * read once the session opens.
 */
export class EarlyFrames {
  private frames: EarlyFrame[] = [];
  private bytes = 0;

  /** Keeps the frame; false (nothing kept) when the count or byte bound would be passed. */
  hold(raw: Buffer, isBinary: boolean): boolean {
    if (this.frames.length >= EARLY_FRAME_LIMIT || this.bytes + raw.length > EARLY_BYTES_LIMIT) return false;
    this.frames.push({ raw, isBinary });
    this.bytes += raw.length;
    return true;
  }

  /** Every held frame, in arrival order; the holder is empty afterwards. */
  take(): EarlyFrame[] {
    const frames = this.frames;
    this.clear();
    return frames;
  }

  clear(): void {
    this.frames = [];
    this.bytes = 0;
  }
}
