import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { IndexedDbOutboxStore } from '../outbox-store/indexeddb-outbox-store.js';
import { FakeLocks } from '../testing/fake-locks.js';
import { FakeServer } from '../testing/fake-server.js';
import { waitFor } from '../testing/wait-for.js';
import { WebSocketService } from './websocket-service.js';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

/** Every message id in every frame the server received, repeats included. */
function sentIds(server: FakeServer): string[] {
  return server.frames.flatMap((f) => {
    if (f.type === 'batch')
      return Object.values(f.batches as Record<string, { id: string }[]>)
        .flat()
        .map((i) => i.id);
    return f.type !== 'hello' && f.type !== 'ping' && typeof f.id === 'string' ? [f.id] : [];
  });
}

describe('two tabs of one desk sharing one IndexedDB outbox', () => {
  it('sends every saved action once after an outage and a reload of one tab', async () => {
    const probe = await new FakeServer().start();
    const port = probe.port;
    await probe.stop();
    const url = `ws://127.0.0.1:${port}/ws`;
    const locks = new FakeLocks();
    const tab = (ownerId: string) => {
      const svc = new WebSocketService({
        url,
        clientId: 'desk-tabs',
        WebSocket,
        network: null,
        pingIntervalMs: 2 ** 31 - 1,
        clientStatsIntervalMs: 0,
        reconnectBaseDelayMs: 50,
        reconnectMaxDelayMs: 200,
        outboxStore: new IndexedDbOutboxStore({ name: 'desk-tabs', locks, ownerId }),
      });
      cleanups.push(() => svc.close());
      void svc.connect().catch(() => undefined);
      return svc;
    };

    const a = tab('a');
    const b = tab('b');
    for (let i = 0; i < 20; i++) {
      void a.send('check_in', { memberId: `m_a${i}` });
      void b.send('check_in', { memberId: `m_b${i}` });
    }
    await waitFor(() => a.outboxSnapshot()?.saved === 20 && b.outboxSnapshot()?.saved === 20);
    const aIds = a.savedActions().map((x) => x.id);
    await a.close(); // tab A reloads: its page, its lock and its service go

    const a2 = tab('a2');
    await waitFor(() => a2.outboxSnapshot()?.saved === 20);
    expect(a2.savedActions().map((x) => x.id)).toEqual(aIds); // A's, not B's (B lives)

    const server = await new FakeServer().start(port);
    cleanups.push(() => server.stop());
    await waitFor(() => server.applied.length === 40, 15_000, '40 applied');
    await waitFor(() => a2.outboxSnapshot()?.saved === 0 && b.outboxSnapshot()?.saved === 0, 10_000);
    const ids = sentIds(server);
    expect(ids).toHaveLength(40);
    expect(new Set(ids).size).toBe(40);
  });
});
