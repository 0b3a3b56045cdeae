import { describe, expect, it } from 'vitest';
import { ScanCooldown } from './scan-cooldown.js';

describe('ScanCooldown', () => {
  it('ignores the same code within one second', () => {
    let nowMs = 0;
    const cooldown = new ScanCooldown({ now: () => nowMs });
    expect(cooldown.accept('GYM-0001')).toBe(true);
    nowMs = 400;
    expect(cooldown.accept('gym-0001 ')).toBe(false);
    nowMs = 999;
    expect(cooldown.accept('GYM-0001')).toBe(false);
  });

  it('accepts the same code again once the cooldown has passed since the accepted scan', () => {
    let nowMs = 0;
    const cooldown = new ScanCooldown({ now: () => nowMs });
    cooldown.accept('GYM-0001');
    nowMs = 1_000;
    expect(cooldown.accept('GYM-0001')).toBe(true);
  });

  it('accepts a different code at once', () => {
    const cooldown = new ScanCooldown({ now: () => 5 });
    expect(cooldown.accept('GYM-0001')).toBe(true);
    expect(cooldown.accept('GYM-0002')).toBe(true);
  });

  it('ignores an empty scan', () => {
    expect(new ScanCooldown().accept('   ')).toBe(false);
  });
});
