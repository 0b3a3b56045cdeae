import { describe, expect, it } from 'vitest';
import type { OutboxStore, StoredAction } from '../outbox-store/outbox-store.js';

/** How the contract reaches one store implementation's backing (file, database, memory). */
export interface OutboxStoreHarness {
  /** A store over the backing, as a restarted process would open it (the previous one closed). */
  open(): Promise<OutboxStore>;
  /** Leaves a torn or malformed record last in the backing, as a crash mid-write would (no store open). */
  tear(): Promise<void>;
}

let n = 0;
export function action(over: Partial<StoredAction> = {}): StoredAction {
  n++;
  return {
    id: `01JTEST${String(n).padStart(8, '0')}`,
    type: 'check_in',
    data: { memberId: `m_${n}`, deskId: 'desk-1', note: { nested: [1, 'two'] } },
    priority: 'high',
    savedAt: 1_700_000_000_000 + n,
    ...over,
  };
}

/** The one suite every {@link OutboxStore} passes; `harness` gives each test a fresh backing. */
export function outboxStoreContract(name: string, harness: () => Promise<OutboxStoreHarness>): void {
  describe(`OutboxStore contract: ${name}`, () => {
    it('loads nothing from a fresh backing', async () => {
      const h = await harness();
      const store = await h.open();
      expect(await store.load()).toEqual([]);
      await store.close();
    });

    it('returns what was put, in save order and with its data, after a restart', async () => {
      const h = await harness();
      const a = [action(), action({ type: 'check_out', priority: 'medium' }), action()];
      const s1 = await h.open();
      await s1.load();
      await s1.put([a[0]!]);
      await s1.put([a[1]!, a[2]!]);
      await s1.close();
      const s2 = await h.open();
      expect(await s2.load()).toEqual(a);
      await s2.close();
    });

    it('forgets deleted actions and ignores unknown ids', async () => {
      const h = await harness();
      const a = [action(), action(), action()];
      const s1 = await h.open();
      await s1.load();
      await s1.put(a);
      await s1.delete([a[1]!.id, 'no-such-id']);
      await s1.close();
      const s2 = await h.open();
      expect((await s2.load()).map((x) => x.id)).toEqual([a[0]!.id, a[2]!.id]);
      await s2.delete([a[0]!.id, a[2]!.id]);
      await s2.close();
      const s3 = await h.open();
      expect(await s3.load()).toEqual([]);
      await s3.close();
    });

    it('keeps one copy in its first place when an id is put again', async () => {
      const h = await harness();
      const a = action();
      const b = action();
      const s1 = await h.open();
      await s1.load();
      await s1.put([a, b]);
      await s1.put([{ ...a, data: { memberId: 'changed' } }]);
      await s1.close();
      const s2 = await h.open();
      expect(await s2.load()).toEqual([a, b]);
      await s2.close();
    });

    it('keeps the order of many puts made without waiting for each other', async () => {
      const h = await harness();
      const a = Array.from({ length: 300 }, () => action());
      const s1 = await h.open();
      await s1.load();
      await Promise.all(a.map((x) => s1.put([x])));
      await s1.delete(a.slice(0, 100).map((x) => x.id));
      await s1.close();
      const s2 = await h.open();
      expect((await s2.load()).map((x) => x.id)).toEqual(a.slice(100).map((x) => x.id));
      await s2.close();
    });

    it('skips a torn last record and keeps every whole one before it', async () => {
      const h = await harness();
      const a = [action(), action()];
      const s1 = await h.open();
      await s1.load();
      await s1.put(a);
      await s1.close();
      await h.tear();
      const s2 = await h.open();
      expect(await s2.load()).toEqual(a);
      const c = action();
      await s2.put([c]);
      await s2.close();
      const s3 = await h.open();
      expect(await s3.load()).toEqual([...a, c]);
      await s3.close();
    });
  });
}
