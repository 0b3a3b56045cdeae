import { describe, expect, it } from 'vitest';
import type { Broker } from '../broker/broker.js';
import { MemoryBroker } from '../broker/memory/memory-broker.js';
import type { Clock } from '../clock.js';
import type { Store } from '../store/store.js';
import { Readiness } from './readiness.js';

const answering = (up: boolean) => ({ ping: async () => up }) as unknown as Store;

/** A clock whose timers fire only on `fire()`. */
function manualClock(): Clock & { fire(): void } {
  const timers = new Map<number, () => void>();
  let next = 0;
  return {
    now: () => 0,
    setTimeout: (fn) => {
      timers.set(++next, fn);
      return next;
    },
    clearTimeout: (handle) => {
      timers.delete(handle as number);
    },
    fire: () => {
      for (const fn of timers.values()) fn();
      timers.clear();
    },
  };
}

describe('Readiness', () => {
  it('counts a broker without a health check as up', async () => {
    const readiness = new Readiness({ store: answering(true), broker: new MemoryBroker() });
    expect(readiness.brokerUp()).toBe(true);
    expect(await readiness.check()).toEqual({ ready: true, database: 'up', broker: 'up' });
  });

  it('asks a broker that has a health check', async () => {
    const broker: Broker = Object.assign(new MemoryBroker(), { healthy: () => false });
    const readiness = new Readiness({ store: answering(true), broker });
    expect(await readiness.check()).toEqual({ ready: false, database: 'up', broker: 'down' });
    expect(readiness.last()).toEqual({ database: true, broker: false });
  });

  it('counts a database that does not answer within the timeout as down, on the injected clock', async () => {
    const clock = manualClock();
    const store = { ping: () => new Promise<boolean>(() => {}) } as unknown as Store;
    const readiness = new Readiness({ store, broker: new MemoryBroker(), clock }, 2_000);
    const report = readiness.check();
    clock.fire();
    expect(await report).toEqual({ ready: false, database: 'down', broker: 'up' });
  });

  it('answers not ready, draining, once the node drains, with its dependencies still up', async () => {
    const readiness = new Readiness({ store: answering(true), broker: new MemoryBroker() });
    readiness.markDraining();
    expect(await readiness.check()).toEqual({ ready: false, database: 'up', broker: 'up', draining: true });
    expect(readiness.last()).toEqual({ database: true, broker: true });
  });
});
