import type { ServerEvent } from '@av-gym/protocol';
import { afterEach, describe, expect, it } from 'vitest';
import type { Broker } from '../../src/broker/broker.js';

/** Builds a broker for one test; `cleanup` runs after it. */
export type BrokerFactory = () => Promise<{ broker: Broker; cleanup?: () => Promise<void> }>;

function event(seq: number, name: ServerEvent['name'] = 'check_in.created'): ServerEvent {
  return {
    type: 'event',
    seq,
    topic: name === 'occupancy.changed' ? 'occupancy' : 'check_ins',
    name,
    at: 1_764_000_000_000 + seq,
    data: { visitId: `v${seq}`, memberId: 'm_1', memberName: 'Ada', deskId: null, at: 1 },
  } as ServerEvent;
}

async function until(check: () => boolean, timeoutMs = 2000): Promise<void> {
  const started = Date.now();
  while (!check()) {
    if (Date.now() - started > timeoutMs) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 5));
  }
}

/**
 * The behaviour every `Broker` keeps. Run it against each implementation:
 * `brokerContract('MemoryBroker', async () => ({ broker: new MemoryBroker() }))`.
 */
export function brokerContract(name: string, factory: BrokerFactory): void {
  describe(`${name} (broker contract)`, () => {
    const cleanups: (() => Promise<void>)[] = [];
    const make = async () => {
      const made = await factory();
      cleanups.push(async () => {
        await made.broker.close();
        await made.cleanup?.();
      });
      await made.broker.ready();
      return made.broker;
    };
    afterEach(async () => {
      for (const c of cleanups.splice(0)) await c();
    });

    it('delivers each published batch to every listener, in order, unchanged', async () => {
      const broker = await make();
      const a: number[] = [];
      const b: ServerEvent[] = [];
      broker.subscribe((events) => a.push(...events.map((e) => e.seq)));
      broker.subscribe((events) => b.push(...events));
      const sent = [event(1), event(2, 'occupancy.changed'), event(3)];
      broker.publish(sent.slice(0, 2));
      broker.publish(sent.slice(2));
      await until(() => a.length === 3 && b.length === 3);
      expect(a).toEqual([1, 2, 3]);
      expect(b).toEqual(sent);
    });

    it('stops delivering to a listener that unsubscribed', async () => {
      const broker = await make();
      const kept: number[] = [];
      const gone: number[] = [];
      broker.subscribe((events) => kept.push(...events.map((e) => e.seq)));
      const off = broker.subscribe((events) => gone.push(...events.map((e) => e.seq)));
      broker.publish([event(1)]);
      await until(() => kept.length === 1 && gone.length === 1);
      off();
      broker.publish([event(2)]);
      await until(() => kept.length === 2);
      expect(gone).toEqual([1]);
    });

    it('keeps delivering to others when one listener throws', async () => {
      const broker = await make();
      const seen: number[] = [];
      broker.subscribe(() => {
        throw new Error('listener failure');
      });
      broker.subscribe((events) => seen.push(...events.map((e) => e.seq)));
      expect(() => broker.publish([event(1)])).not.toThrow();
      broker.publish([event(2)]);
      await until(() => seen.length === 2);
      expect(seen).toEqual([1, 2]);
    });

    it('delivers nothing after close and publish does not throw', async () => {
      const broker = await make();
      const seen: number[] = [];
      broker.subscribe((events) => seen.push(...events.map((e) => e.seq)));
      await broker.close();
      expect(() => broker.publish([event(1)])).not.toThrow();
      await new Promise((r) => setTimeout(r, 30));
      expect(seen).toEqual([]);
    });

    it('delivers a published revocation to every revocation listener on this node at once', async () => {
      const broker = await make();
      if (!broker.publishRevocation || !broker.onRevocation) return;
      const seen: [readonly string[], string][] = [];
      const off = broker.onRevocation((ids, reason) => seen.push([ids, reason]));
      broker.onRevocation(() => {
        throw new Error('listener failure');
      });
      const id = 'a'.repeat(64);
      expect(() => broker.publishRevocation?.([id], 'logged out')).not.toThrow();
      expect(seen).toEqual([[[id], 'logged out']]);
      off();
      broker.publishRevocation([id], 'again');
      expect(seen).toHaveLength(1);
    });

    it('keeps order over many small publishes', async () => {
      const broker = await make();
      const seen: number[] = [];
      broker.subscribe((events) => seen.push(...events.map((e) => e.seq)));
      for (let i = 1; i <= 500; i++) broker.publish([event(i)]);
      await until(() => seen.length === 500);
      expect(seen).toEqual(Array.from({ length: 500 }, (_, i) => i + 1));
    });
  });
}
