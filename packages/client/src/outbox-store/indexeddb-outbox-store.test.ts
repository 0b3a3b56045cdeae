import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { FakeLocks } from '../testing/fake-locks.js';
import { action, outboxStoreContract } from '../testing/outbox-store-contract.js';
import { IndexedDbOutboxStore } from './indexeddb-outbox-store.js';

let dbs = 0;

outboxStoreContract('IndexedDB (fake-indexeddb)', async () => {
  const name = `contract-${++dbs}`;
  return {
    open: async () => new IndexedDbOutboxStore({ name, locks: null }),
    tear: async () => {
      const s = new IndexedDbOutboxStore({ name, locks: null });
      await s.plantRaw({ id: '01JTORN', type: 'check_in', owner: 'x' });
      await s.close();
    },
  };
});

outboxStoreContract('IndexedDB with Web Locks', async () => {
  const name = `contract-locks-${++dbs}`;
  const locks = new FakeLocks();
  return {
    open: async () => new IndexedDbOutboxStore({ name, locks }),
    tear: async () => {
      const s = new IndexedDbOutboxStore({ name, locks });
      await s.plantRaw({ id: '01JTORN', priority: 'high', owner: 'x' });
      await s.close();
    },
  };
});

describe('IndexedDbOutboxStore', () => {
  it("never hands one tab's saved actions to another while that tab lives", async () => {
    const name = `tabs-${++dbs}`;
    const locks = new FakeLocks();
    const tabA = new IndexedDbOutboxStore({ name, locks, ownerId: 'a' });
    const tabB = new IndexedDbOutboxStore({ name, locks, ownerId: 'b' });
    expect(await tabA.load()).toEqual([]);
    const mine = [action(), action()];
    await tabA.put(mine);
    expect(await tabB.load()).toEqual([]);
    expect(await tabA.load()).toEqual(mine);
    await tabA.close(); // the tab reloads, closes or crashes: its lock goes
    expect(await tabB.load()).toEqual(mine);
    const tabA2 = new IndexedDbOutboxStore({ name, locks, ownerId: 'a2' });
    expect(await tabA2.load()).toEqual([]);
    await tabB.close();
    await tabA2.close();
  });

  it('without Web Locks, every tab claims every saved action (ids keep the effect once)', async () => {
    const name = `nolocks-${++dbs}`;
    const tabA = new IndexedDbOutboxStore({ name, locks: null });
    const tabB = new IndexedDbOutboxStore({ name, locks: null });
    expect(tabA.coordinated).toBe(false);
    await tabA.load();
    const a = [action()];
    await tabA.put(a);
    expect(await tabB.load()).toEqual(a);
    await tabA.close();
    await tabB.close();
  });

  it('rejects a bad name', () => {
    expect(() => new IndexedDbOutboxStore({ name: '' })).toThrow(/name/);
  });
});
