import { describe, expect, it } from 'vitest';
import { AddressSlots } from './address-slots.js';

describe('AddressSlots', () => {
  it('refuses an address at its cap and takes again once a slot is released', () => {
    const slots = new AddressSlots(2);
    expect(slots.tryTake('10.0.0.1')).toBe(true);
    expect(slots.tryTake('10.0.0.1')).toBe(true);
    expect(slots.tryTake('10.0.0.1')).toBe(false);
    expect(slots.tryTake('10.0.0.2')).toBe(true);
    slots.release('10.0.0.1');
    expect(slots.tryTake('10.0.0.1')).toBe(true);
  });

  it('forgets an address once it holds nothing', () => {
    const slots = new AddressSlots(4);
    for (let i = 0; i < 1000; i++) {
      slots.tryTake(`10.0.${i >> 8}.${i & 255}`);
      slots.release(`10.0.${i >> 8}.${i & 255}`);
    }
    expect(slots.addresses).toBe(0);
    slots.release('never-seen');
    expect(slots.count('never-seen')).toBe(0);
  });
});
