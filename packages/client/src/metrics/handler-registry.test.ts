import { describe, expect, it } from 'vitest';
import { HandlerRegistry } from './handler-registry.js';

const MIN = 60_000;

function setup() {
  let now = 0;
  const errors: unknown[] = [];
  const reg = new HandlerRegistry(
    () => now,
    (e) => errors.push(e),
  );
  return { reg, errors, tick: (ms: number) => (now += ms) };
}

describe('HandlerRegistry', () => {
  it('tracks calls and last use per key', () => {
    const { reg, tick } = setup();
    const got: unknown[] = [];
    reg.on('check_ins', (p) => got.push(p));
    reg.on('check_ins', () => {});
    tick(10);
    expect(reg.emit('check_ins', 1)).toBe(2);
    expect(got).toEqual([1]);
    expect(reg.stats()).toMatchObject({
      count: 2,
      byType: { check_ins: { handlers: 2, calls: 1, lastUsedAt: 10 } },
    });
  });

  it('removes a handler when the app unsubscribes, once', () => {
    const { reg } = setup();
    const off = reg.on('x', () => {});
    off();
    off();
    expect(reg.emit('x', 0)).toBe(0);
    expect(reg.stats()).toMatchObject({ count: 0, unsubscribed: 1 });
  });

  it('removes temporary handlers unused for 5 minutes and keeps the ones in use', () => {
    const { reg, tick } = setup();
    reg.on('a', () => {}, { temporary: true });
    reg.on('b', () => {}, { temporary: true });
    tick(4 * MIN);
    reg.emit('b', 0);
    tick(MIN);
    expect(reg.cleanup(5 * MIN)).toBe(1);
    expect(reg.has('a')).toBe(false);
    expect(reg.has('b')).toBe(true);
    expect(reg.stats()).toMatchObject({ removed: 1, lastCleanupAt: 5 * MIN });
  });

  it('never removes a handler the app holds, however long unused', () => {
    const { reg, tick } = setup();
    reg.on('a', () => {});
    tick(1_000 * MIN);
    expect(reg.cleanup(5 * MIN)).toBe(0);
    expect(reg.has('a')).toBe(true);
  });

  it('keeps dispatching when a handler throws and reports the error', () => {
    const { reg, errors } = setup();
    const got: number[] = [];
    reg.on('k', () => {
      throw new Error('boom');
    });
    reg.on('k', () => got.push(1));
    reg.emit('k', 0);
    expect(got).toEqual([1]);
    expect(errors).toHaveLength(1);
  });
});
