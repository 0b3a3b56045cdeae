/**
 * Counts what each address holds (e.g. sockets not yet past `hello`) against a cap. An address
 * is kept only while it holds at least one slot, so the map never outgrows the live sockets.
 */
export class AddressSlots {
  private readonly held = new Map<string, number>();

  constructor(private readonly maxPerAddress: number) {
    if (!(maxPerAddress >= 1)) throw new RangeError('maxPerAddress must be >= 1');
  }

  /** Takes a slot for `address`; false (nothing taken) when it already holds `maxPerAddress`. */
  tryTake(address: string): boolean {
    const n = this.held.get(address) ?? 0;
    if (n >= this.maxPerAddress) return false;
    this.held.set(address, n + 1);
    return true;
  }

  /** Gives back one slot of `address`. */
  release(address: string): void {
    const n = this.held.get(address) ?? 0;
    if (n <= 1) this.held.delete(address);
    else this.held.set(address, n - 1);
  }

  /** Slots `address` holds now. */
  count(address: string): number {
    return this.held.get(address) ?? 0;
  }

  /** Addresses holding a slot now. */
  get addresses(): number {
    return this.held.size;
  }
}
