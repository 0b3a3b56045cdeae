/**
 * Ignores a barcode scanner's repeat of the same code within `cooldownMs` (scanners
 * often fire twice). A different code is always accepted at once.
 */
export class ScanCooldown {
  private readonly cooldownMs: number;
  private readonly now: () => number;
  private lastCode: string | undefined;
  private lastAtMs = Number.NEGATIVE_INFINITY;

  constructor(options: { cooldownMs?: number; now?: () => number } = {}) {
    this.cooldownMs = options.cooldownMs ?? 1_000;
    this.now = options.now ?? (() => Date.now());
  }

  /** True when the scan should be acted on; records it either way. */
  accept(rawCode: string): boolean {
    const code = rawCode.trim().toUpperCase();
    if (code.length === 0) return false;
    const at = this.now();
    const repeat = code === this.lastCode && at - this.lastAtMs < this.cooldownMs;
    this.lastCode = code;
    if (!repeat) this.lastAtMs = at;
    return !repeat;
  }
}
