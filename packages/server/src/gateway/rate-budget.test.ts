import { describe, expect, it } from 'vitest';
import { RATE_STRIKE_LIMIT, RateBudget, type RateLimits, sharedBudget } from './rate-budget.js';

const limits = (framesPerSec: number, messagesPerSec: number): RateLimits => ({
  framesPerSec,
  frameBurst: framesPerSec,
  messagesPerSec,
  messageBurst: messagesPerSec,
});

function setup(own: RateLimits) {
  let now = 0;
  const limited: string[] = [];
  let abuse = 0;
  const make = () =>
    new RateBudget({
      limits: own,
      now: () => now,
      onLimited: (scope, unit, n) => void limited.push(`${scope}:${unit}:${n}`),
      onAbuse: () => {
        abuse++;
      },
    });
  return {
    make,
    limited,
    abuse: () => abuse,
    tick: (ms: number) => {
      now += ms;
    },
    now: () => now,
  };
}

describe('RateBudget', () => {
  describe('frames', () => {
    it('refuses frames past the connection rate and refills with time', () => {
      const s = setup(limits(3, 100));
      const b = s.make();
      expect([b.frame(), b.frame(), b.frame()]).toEqual([undefined, undefined, undefined]);
      expect(b.frame()).toMatchObject({
        scope: 'connection',
        message: expect.stringContaining('3 frames/s'),
      });
      s.tick(1000);
      expect(b.frame()).toBeUndefined();
      expect(s.limited).toEqual(['connection:frames:1']);
    });
  });

  describe('shared credential budget', () => {
    it('spans every connection of a credential, each under its own limit', () => {
      const s = setup(limits(100, 100));
      const shared = sharedBudget(limits(100, 10), s.now);
      const a = s.make();
      const b = s.make();
      a.share(shared);
      b.share(shared);
      expect(a.messages(6)).toBeUndefined();
      expect(b.messages(6)).toMatchObject({ scope: 'credential' });
      expect(b.messages(4)).toBeUndefined();
      expect(s.limited).toEqual(['credential:messages:6']);
    });

    it('gives the connection its tokens back when the credential refuses', () => {
      const s = setup(limits(100, 5));
      const shared = sharedBudget(limits(100, 1), s.now);
      const a = s.make();
      a.share(shared);
      expect(a.messages(1)).toBeUndefined();
      expect(a.messages(1)).toMatchObject({ scope: 'credential' });
      s.tick(1000);
      // 4 left on the connection: the refused message did not spend one.
      expect(a.messages(1)).toBeUndefined();
      expect(a.messages(1)).toMatchObject({ scope: 'credential' });
    });
  });

  describe('strikes', () => {
    it('calls onAbuse once refusals reach the strike limit', async () => {
      const s = setup(limits(1, 1));
      const b = s.make();
      b.frame();
      for (let i = 0; i < RATE_STRIKE_LIMIT - 1; i++) b.frame();
      await Promise.resolve();
      expect(s.abuse()).toBe(0);
      b.frame();
      await Promise.resolve();
      expect(s.abuse()).toBe(1);
    });
  });
});
