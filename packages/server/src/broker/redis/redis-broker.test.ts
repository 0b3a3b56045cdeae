import { randomBytes } from 'node:crypto';
import type { ServerEvent } from '@av-gym/protocol';
import { createClient } from 'redis';
import { afterEach, describe, expect, it } from 'vitest';
import { brokerContract } from '../../../test/contracts/broker.contract.js';
import { RedisBroker, type RedisBrokerOptions } from './redis-broker.js';

const url = process.env.REDIS_URL;

function event(seq: number): ServerEvent {
  return {
    type: 'event',
    seq,
    topic: 'occupancy',
    name: 'occupancy.changed',
    at: 1,
    data: { current: seq, capacity: 100, todayTotal: seq },
  } as ServerEvent;
}

async function until(check: () => boolean, timeoutMs = 5_000): Promise<void> {
  const started = Date.now();
  while (!check()) {
    if (Date.now() - started > timeoutMs) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 5));
  }
}

async function deleteKey(key: string): Promise<void> {
  const client = createClient({ url: url as string });
  await client.connect();
  await client.del(key);
  client.destroy();
}

const uniqueKey = () => `av-gym-test:${Date.now().toString(36)}-${randomBytes(4).toString('hex')}:events`;

if (url) {
  brokerContract('RedisBroker', async () => {
    const streamKey = uniqueKey();
    return {
      broker: new RedisBroker({ url, streamKey }),
      cleanup: async () => {
        await deleteKey(streamKey);
        await deleteKey(`${streamKey}:revocations`);
      },
    };
  });

  describe('RedisBroker across nodes', () => {
    const open: RedisBroker[] = [];
    const keys: string[] = [];
    const node = async (streamKey: string, extra: Partial<RedisBrokerOptions> = {}) => {
      const broker = new RedisBroker({ url, streamKey, ...extra });
      open.push(broker);
      await broker.ready();
      return broker;
    };
    const key = () => {
      const k = uniqueKey();
      keys.push(k);
      return k;
    };
    afterEach(async () => {
      for (const b of open.splice(0)) await b.close();
      for (const k of keys.splice(0)) await deleteKey(k);
    });

    it('delivers events published on either node to both, in global seq order', async () => {
      const k = key();
      const [a, b] = [await node(k), await node(k)];
      const seenA: number[] = [];
      const seenB: number[] = [];
      a.subscribe((events) => seenA.push(...events.map((e) => e.seq)));
      b.subscribe((events) => seenB.push(...events.map((e) => e.seq)));
      // Node b commits seq 2 but publishes before node a publishes seq 1.
      b.publish([event(1)]);
      await until(() => seenA.length === 1);
      b.publish([event(3)]);
      a.publish([event(2)]);
      for (let s = 4; s <= 100; s++) (s % 3 === 0 ? a : b).publish([event(s)]);
      const all = Array.from({ length: 100 }, (_, i) => i + 1);
      await until(() => seenA.length === 100 && seenB.length === 100);
      expect(seenA).toEqual(all);
      expect(seenB).toEqual(all);
    });

    it('shares the recent history with a node that starts later and continues after it', async () => {
      const k = key();
      const a = await node(k);
      a.publish([event(1), event(2)]);
      a.publish([event(3)]);
      await until(() => a.figures().outboxBatches === 0);
      const late = await node(k);
      expect((await late.recent()).map((e) => e.seq)).toEqual([1, 2, 3]);
      const seen: number[] = [];
      late.subscribe((events) => seen.push(...events.map((e) => e.seq)));
      a.publish([event(4)]);
      await until(() => seen.length === 1);
      expect(seen).toEqual([4]);
    });

    it('carries a revocation to the other node once (the sender delivers its own at once)', async () => {
      const k = key();
      keys.push(`${k}:revocations`);
      const [a, b] = [await node(k), await node(k)];
      const seenA: string[][] = [];
      const seenB: [readonly string[], string][] = [];
      a.onRevocation((ids) => seenA.push([...ids]));
      b.onRevocation((ids, reason) => seenB.push([ids, reason]));
      const ids = ['1'.repeat(64), '2'.repeat(64)];
      const sentAt = Date.now();
      a.publishRevocation(ids, 'logged out');
      expect(seenA).toEqual([ids]);
      await until(() => seenB.length === 1);
      expect(Date.now() - sentAt).toBeLessThan(1_000);
      expect(seenB).toEqual([[ids, 'logged out']]);
      // Its own message coming back over the channel is not delivered twice.
      await new Promise((r) => setTimeout(r, 100));
      expect(seenA).toHaveLength(1);
    });

    it('ignores an entry of the revocation stream that is not a revocation', async () => {
      const k = key();
      keys.push(`${k}:revocations`);
      const a = await node(k);
      const seen: string[][] = [];
      a.onRevocation((ids) => seen.push([...ids]));
      const client = createClient({ url: url as string });
      await client.connect();
      await client.xAdd(a.revocationKey, '*', { r: '{"ids":"everything"}' });
      await client.xAdd(a.revocationKey, '*', { other: 'field' });
      await client.xAdd(a.revocationKey, '*', {
        r: JSON.stringify({ from: 'x', ids: ['3'.repeat(64)], reason: 'r' }),
      });
      client.destroy();
      await until(() => seen.length === 1);
      expect(seen).toEqual([['3'.repeat(64)]]);
    });

    it('moves past a seq that is never published', async () => {
      const k = key();
      const [a, b] = [await node(k, { gapWaitMs: 50 }), await node(k, { gapWaitMs: 50 })];
      const seen: number[] = [];
      b.subscribe((events) => seen.push(...events.map((e) => e.seq)));
      a.publish([event(1)]);
      await until(() => seen.length === 1);
      a.publish([event(3)]);
      await until(() => seen.length === 2);
      expect(seen).toEqual([1, 3]);
      expect(b.figures().gapsSkipped).toBe(1);
    });
  });
} else {
  describe('RedisBroker', () => {
    it.skip('needs REDIS_URL (e.g. redis://127.0.0.1:6379): skipped', () => {});
  });
}
