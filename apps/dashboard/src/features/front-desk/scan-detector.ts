/** Options of {@link ScanDetector}; the defaults fit USB and Bluetooth barcode scanners. */
export interface ScanDetectorOptions {
  /** Longest pause between two keystrokes of one scan (default 50 ms: people type slower). */
  maxGapMs?: number;
  /** Fewest characters a scan has (default 4, the shortest card number). */
  minLength?: number;
  /** Most characters a scan has (default 32); a longer run is not a scan. */
  maxLength?: number;
}

/**
 * Tells a barcode scanner's keystrokes from a person's: a scanner "types" a whole card number
 * within a few milliseconds and ends it with Enter. Fed the keydowns that land outside any text
 * field, it returns the code when a fast run ends in Enter, and nothing for anything slower.
 */
export class ScanDetector {
  private readonly maxGapMs: number;
  private readonly minLength: number;
  private readonly maxLength: number;
  private buffer = '';
  private lastAtMs = Number.NEGATIVE_INFINITY;

  constructor(options: ScanDetectorOptions = {}) {
    this.maxGapMs = options.maxGapMs ?? 50;
    this.minLength = options.minLength ?? 4;
    this.maxLength = options.maxLength ?? 32;
  }

  /** Feeds one keydown (`KeyboardEvent.key`) at `atMs`; returns the scanned code on the Enter that ends one. */
  key(key: string, atMs: number): string | null {
    const fast = atMs - this.lastAtMs <= this.maxGapMs;
    if (key === 'Enter') {
      const code = fast && this.buffer.length >= this.minLength ? this.buffer : null;
      this.reset();
      return code;
    }
    // Shift, Control and the like come with a scanner's capitals: they neither add nor break a run
    if (key.length !== 1) return null;
    if (!fast) this.buffer = '';
    this.buffer += key;
    this.lastAtMs = atMs;
    if (this.buffer.length > this.maxLength) this.reset();
    return null;
  }

  /** Whether a run of fast keystrokes is under way (its keys should not trigger shortcuts). */
  get inRun(): boolean {
    return this.buffer.length > 0;
  }

  reset(): void {
    this.buffer = '';
    this.lastAtMs = Number.NEGATIVE_INFINITY;
  }
}
