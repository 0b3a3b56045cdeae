import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { MemoryOutboxStore } from '../outbox-store/memory-outbox-store.js';
import type { OutboxStore, StoredAction } from '../outbox-store/outbox-store.js';
import { FakeServer, type FakeServerOptions } from '../testing/fake-server.js';
import { waitFor } from '../testing/wait-for.js';
import type { OutboxSnapshot } from './durable-outbox.js';
import type { SendOutcome } from './outbox.js';
import type { WebSocketServiceOptions } from './service-options.js';
import { WebSocketService } from './websocket-service.js';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

const QUIET = { pingIntervalMs: 2 ** 31 - 1, clientStatsIntervalMs: 0, network: null };

async function server(options: FakeServerOptions = {}) {
  const s = await new FakeServer(options).start();
  cleanups.push(() => s.stop());
  return s;
}

function service(url: string, store: OutboxStore, options: Partial<WebSocketServiceOptions> = {}) {
  const svc = new WebSocketService({
    url,
    clientId: 'desk-1',
    WebSocket,
    outboxStore: store,
    ...QUIET,
    ...options,
  });
  cleanups.push(() => svc.close());
  return svc;
}

/** A port nothing listens on: the desk is offline. */
async function deadUrl(): Promise<string> {
  const s = await new FakeServer().start();
  const url = s.url;
  await s.stop();
  return url;
}

function checkIns(n: number, from = 0) {
  return Array.from({ length: n }, (_, i) => ({ memberId: `m_${(from + i) % 7}`, deskId: `d_${from + i}` }));
}

describe('WebSocketService with an outbox store', () => {
  it('saves an action before reporting it queued, and forgets it once acked', async () => {
    const store = new MemoryOutboxStore();
    const srv = await server();
    const svc = service(srv.url, store);
    let savedSeen: StoredAction[] | undefined;
    const outcome = svc.send(
      'check_in',
      { memberId: 'm_1' },
      { onSaved: () => void store.load().then((l) => (savedSeen = l)) },
    );
    await svc.connect();
    expect(await outcome).toMatchObject({ ok: true });
    await waitFor(() => savedSeen);
    expect(savedSeen?.map((a) => a.type)).toEqual(['check_in']);
    await waitFor(async () => (await store.load()).length === 0);
    expect(await store.load()).toEqual([]);
    expect(svc.outboxSnapshot()).toMatchObject({ saved: 0, bytes: 0 });
  });

  it('sends what a closed service left saved, with the same ids, in save order, before new sends', async () => {
    const store = new MemoryOutboxStore();
    const offline = service(await deadUrl(), store, { reconnectMaxDelayMs: 50 });
    const ids: string[] = [];
    const outcomes = checkIns(5).map((d) => offline.send('check_in', d, { onSaved: () => undefined }));
    void offline.connect().catch(() => undefined);
    await waitFor(() => offline.outboxSnapshot()?.saved === 5);
    ids.push(...offline.savedActions().map((a) => a.id));
    await offline.close();
    for (const o of await Promise.all(outcomes)) expect(o).toMatchObject({ ok: false, code: 'CLOSED' });

    const srv = await server();
    const restarted = service(srv.url, store);
    const later = restarted.send('check_out', { memberId: 'm_0' });
    const acks: SendOutcome[] = [];
    restarted.on('ack', (n) => acks.push(n.outcome));
    await restarted.connect();
    expect(await later).toMatchObject({ ok: true });
    await waitFor(() => srv.applied.length === 6);
    expect(srv.applied.map((a) => a.id).slice(0, 5)).toEqual(ids);
    expect(srv.applied[5]?.type).toBe('check_out');
    await waitFor(() => acks.length === 6);
    await waitFor(async () => (await store.load()).length === 0);
  });

  it('holds actions past the batching queue up to the budget, then refuses OUTBOX_FULL', async () => {
    const store = new MemoryOutboxStore();
    const url = await deadUrl();
    const svc = service(url, store, {
      batching: { maxQueueSize: 10 },
      outboxBudget: { maxActions: 30 },
      reconnectMaxDelayMs: 50,
    });
    const snapshots: OutboxSnapshot[] = [];
    svc.on('outbox', (s) => snapshots.push(s));
    const outcomes = checkIns(35).map((d) => svc.send('check_in', d));
    const refused = await Promise.race([
      Promise.all(outcomes.slice(30)),
      new Promise<never>((_, reject) => setTimeout(() => reject(new Error('no refusal')), 5_000)),
    ]);
    for (const r of refused) expect(r).toMatchObject({ ok: false, code: 'OUTBOX_FULL' });
    expect(refused[0]?.ok === false && refused[0].message).toMatch(/30 actions/);
    await waitFor(() => svc.outboxSnapshot()?.saved === 30);
    expect(snapshots.at(-1)).toMatchObject({ saved: 30, maxActions: 30 });
    expect(svc.getMetrics().messages.pending).toBe(30);
    const saved = svc.savedActions().map((a) => a.id);
    await svc.close();

    // the same store on a live server: all 30 go through once, in order, 10 at a time through the queue
    const srv = await server();
    const again = service(srv.url, store, { batching: { maxQueueSize: 10 } });
    await again.connect();
    await waitFor(() => srv.applied.length === 30, 10_000);
    expect(srv.applied.map((a) => a.id)).toEqual(saved);
    expect(await again.drain(10_000)).toBe(true);
    await waitFor(async () => (await store.load()).length === 0);
  });

  it('counts bytes against the budget too', async () => {
    const svc = service(await deadUrl(), new MemoryOutboxStore(), {
      outboxBudget: { maxBytes: 400 },
      validate: false,
    });
    const note = 'x'.repeat(150);
    const first = svc.send('check_in', { memberId: 'm_1', note }, { onSaved: () => undefined });
    const second = await svc.send('check_in', { memberId: 'm_2', note });
    expect(second).toMatchObject({ ok: false, code: 'OUTBOX_FULL' });
    expect(second.ok === false && second.message).toMatch(/400 bytes/);
    await waitFor(() => svc.outboxSnapshot()?.saved === 1);
    expect(svc.outboxSnapshot()?.bytes).toBeGreaterThan(150);
    void first;
  });

  it("reports a restored action's refusal in an ack notice, and forgets it", async () => {
    const store = new MemoryOutboxStore();
    await store.put([
      {
        id: '01JREFUSED0000000000000000',
        type: 'check_in',
        data: { memberId: 'm_frozen' },
        priority: 'high',
        savedAt: 1,
      },
    ]);
    const srv = await server({
      verdict: () => ({ accept: false, code: 'MEMBERSHIP_INACTIVE', message: 'the membership is frozen' }),
    });
    const svc = service(srv.url, store);
    const notices: { id: string; outcome: SendOutcome }[] = [];
    svc.on('ack', (n) => notices.push(n));
    expect(svc.savedActions()).toEqual([]);
    await svc.connect();
    await waitFor(() => notices.length === 1);
    expect(notices[0]).toMatchObject({
      id: '01JREFUSED0000000000000000',
      outcome: { ok: false, code: 'MEMBERSHIP_INACTIVE' },
    });
    await waitFor(async () => (await store.load()).length === 0);
  });

  it('settles NOT_SAVED and queues nothing when the store refuses the save', async () => {
    const srv = await server();
    const broken: OutboxStore = {
      load: async () => [],
      put: async () => {
        throw new Error('disk full');
      },
      delete: async () => undefined,
      close: async () => undefined,
    };
    const svc = service(srv.url, broken);
    await svc.connect();
    const out = await svc.send('check_in', { memberId: 'm_1' });
    expect(out).toMatchObject({ ok: false, code: 'NOT_SAVED' });
    expect(out.ok === false && out.message).toMatch(/disk full/);
    expect(srv.applied).toEqual([]);
  });

  it('joins a send with the id of one still being saved: saved once, applied once, both resolve', async () => {
    const store = new MemoryOutboxStore();
    const srv = await server();
    const svc = service(srv.url, store);
    await svc.connect();
    const id = '01JSAMEID00000000000000000';
    const [a, b] = await Promise.all([
      svc.send('check_in', { memberId: 'm_1' }, { id }),
      svc.send('check_in', { memberId: 'm_1' }, { id }),
    ]);
    expect(a).toMatchObject({ ok: true, id });
    expect(b).toMatchObject({ ok: true, id });
    expect(srv.applied.map((x) => x.id)).toEqual([id]);
    expect(svc.outboxSnapshot()).toMatchObject({ saved: 0, bytes: 0 });
  });

  it('releases the store when the server ends the session for good (4401), keeping what it saved', async () => {
    const inner = new MemoryOutboxStore();
    let closes = 0;
    const store: OutboxStore = {
      load: () => inner.load(),
      put: (a) => inner.put(a),
      delete: (ids) => inner.delete(ids),
      close: async () => {
        closes++;
      },
    };
    const srv = await server({ token: 'the-right-token' });
    const svc = service(srv.url, store, { token: 'a-revoked-token' });
    const pending = svc.send('check_in', { memberId: 'm_1' });
    await expect(svc.connect()).rejects.toMatchObject({ code: 'TERMINAL_CLOSE' });
    expect(await pending).toMatchObject({ ok: false, code: 'CLOSED' });
    await waitFor(() => closes === 1);
    await svc.close();
    expect(closes).toBe(1);
    expect((await inner.load()).map((x) => x.type)).toEqual(['check_in']);
  });

  it('keeps low priority out of the store', async () => {
    const store = new MemoryOutboxStore();
    const srv = await server();
    const svc = service(srv.url, store);
    await svc.connect();
    let saved = false;
    await svc.send('client_stats', { x: 1 } as never, { onSaved: () => (saved = true) });
    expect(saved).toBe(false);
    expect(svc.outboxSnapshot()?.saved).toBe(0);
  });

  it('refuses an outbox store without the methods of one', () => {
    expect(
      () => new WebSocketService({ url: 'ws://h/ws', clientId: 'd', WebSocket, outboxStore: {} as never }),
    ).toThrow(/outboxStore needs a load method/);
    expect(
      () =>
        new WebSocketService({
          url: 'ws://h/ws',
          clientId: 'd',
          WebSocket,
          outboxStore: new MemoryOutboxStore(),
          outboxBudget: { maxActions: 0 },
        }),
    ).toThrow(/outboxBudget.maxActions must be a positive number/);
  });
});
