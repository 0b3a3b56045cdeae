import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { FakeServer, type FakeServerOptions } from '../testing/fake-server.js';
import { ManualClock, settle } from '../testing/manual-clock.js';
import { waitFor } from '../testing/wait-for.js';
import type { ReloadNotice } from './service-events.js';
import type { NetworkEvents, WebSocketServiceOptions } from './service-options.js';
import type { StateChange } from './state.js';
import { WebSocketService } from './websocket-service.js';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

/** No heartbeat inside the test's time span unless a test asks for one. */
const QUIET = { pingIntervalMs: 1e12, clientStatsIntervalMs: 0 };

async function setup(options: Partial<WebSocketServiceOptions> = {}, serverOptions: FakeServerOptions = {}) {
  const server = await new FakeServer(serverOptions).start();
  const clock = new ManualClock();
  const svc = new WebSocketService({
    url: server.url,
    clientId: 'desk-1',
    WebSocket,
    clock,
    random: () => 0.5,
    network: null,
    ...QUIET,
    ...options,
  });
  const states: StateChange[] = [];
  svc.on('state', (c) => states.push(c));
  cleanups.push(async () => {
    await svc.close();
    await server.stop();
  });
  return { server, clock, svc, states };
}

const sentIds = (server: FakeServer) =>
  server.frames.flatMap((f) => {
    if (f.type === 'batch')
      return Object.values(f.batches as Record<string, { id: string }[]>)
        .flat()
        .map((i) => i.id);
    return typeof f.id === 'string' ? [f.id] : [];
  });

describe('WebSocketService', () => {
  describe('send', () => {
    it('resolves with the server ack, info included', async () => {
      const { svc } = await setup({}, { verdict: () => ({ accept: true, info: { visitId: 'v_1' } }) });
      await svc.connect();
      const out = await svc.send('check_in', { memberId: 'm_1' });
      expect(out).toMatchObject({ ok: true, info: { visitId: 'v_1' } });
      expect(svc.getMetrics().messages).toMatchObject({ sent: 1, acked: 1, pending: 0 });
    });

    it('resolves a refusal with its code, message and data', async () => {
      const { svc } = await setup(
        {},
        {
          verdict: () => ({ accept: false, code: 'MEMBERSHIP_INACTIVE', message: 'expired', data: { x: 1 } }),
        },
      );
      await svc.connect();
      const outs = await Promise.all([
        svc.send('check_in', { memberId: 'm_1' }),
        svc.send('check_in', { memberId: 'm_2' }),
      ]);
      expect(outs[0]).toMatchObject({
        ok: false,
        code: 'MEMBERSHIP_INACTIVE',
        message: 'expired',
        data: { x: 1 },
      });
      expect(svc.getMetrics().messages.rejected).toBe(2);
    });

    it('refuses invalid data of a known type before sending', async () => {
      const { svc, server } = await setup();
      const out = await svc.send('check_in', { memberId: '' });
      expect(out).toMatchObject({ ok: false, code: 'VALIDATION_FAILED' });
      expect(server.frames).toHaveLength(0);
    });

    it('resends a retryably rejected message with the same id after a backoff delay', async () => {
      let calls = 0;
      const { svc, server, clock } = await setup(
        { retryBaseDelayMs: 500 },
        { verdict: () => (calls++ === 0 ? { accept: false, code: 'INTERNAL' } : { accept: true }) },
      );
      await svc.connect();
      const p = svc.send('check_in', { memberId: 'm_1' });
      await waitFor(() => svc.getMetrics().messages.errors === 1, 2_000, 'the INTERNAL rejection');
      await clock.advance(249);
      expect(sentIds(server)).toHaveLength(1);
      await clock.advance(1); // random 0.5 of a 500 ms cap
      const out = await p;
      expect(out.ok).toBe(true);
      const ids = sentIds(server);
      expect(ids).toHaveLength(2);
      expect(ids[0]).toBe(ids[1]);
      expect(svc.getMetrics().messages.retries).toBe(1);
    });

    it('reports BACKPRESSURE when 200 high-priority messages already wait', async () => {
      const { svc } = await setup();
      const waiting = Array.from({ length: 200 }, (_, i) => svc.send('check_in', { memberId: `m_${i}` }));
      const out = await svc.send('check_out', { memberId: 'm_1' });
      expect(out).toMatchObject({ ok: false, code: 'BACKPRESSURE' });
      expect(svc.getMetrics().batching.queueDepth).toBe(200);
      await svc.connect();
      const all = await Promise.all(waiting);
      expect(all.every((o) => o.ok)).toBe(true);
    });

    it('resolves every caller of a coalesced update with the merged outcome', async () => {
      const { svc, server } = await setup();
      const a = svc.send('member_update', { memberId: 'm_1', changes: { name: 'Ada' }, baseVersion: 2 });
      const b = svc.send('member_update', { memberId: 'm_1', changes: { phone: '555-0101' } });
      await svc.connect();
      const [oa, ob] = await Promise.all([a, b]);
      expect(oa).toEqual(ob);
      expect(server.applied).toHaveLength(1);
      expect(server.applied[0]?.data).toEqual({
        memberId: 'm_1',
        changes: { name: 'Ada', phone: '555-0101' },
        baseVersion: 2,
      });
    });

    it('joins a send that reuses the id of a pending message instead of queueing it twice', async () => {
      const { svc, server } = await setup();
      const a = svc.send('check_in', { memberId: 'm_1' }, { id: 'my-id-1' });
      const b = svc.send('check_in', { memberId: 'm_1' }, { id: 'my-id-1' });
      await svc.connect();
      expect(await a).toEqual(await b);
      expect(sentIds(server)).toEqual(['my-id-1']);
    });

    it('sends each message alone with optimization off', async () => {
      const { svc, server } = await setup();
      await svc.connect();
      svc.setOptimization(false);
      await Promise.all([
        svc.send('check_in', { memberId: 'm_1' }),
        svc.send('check_in', { memberId: 'm_2' }),
      ]);
      expect(server.received('batch')).toHaveLength(0);
      expect(server.received('check_in')).toHaveLength(2);
      svc.setOptimization(true);
      await Promise.all([
        svc.send('check_in', { memberId: 'm_3' }),
        svc.send('check_in', { memberId: 'm_4' }),
      ]);
      expect(server.received('batch')).toHaveLength(1);
    });
  });

  describe('flow control and frame errors', () => {
    it('keeps at most 16 frames unacked and sends the rest as acks arrive', async () => {
      const { svc, server } = await setup({}, { dropAcks: true });
      await svc.connect();
      svc.setOptimization(false);
      const sends = Array.from({ length: 20 }, (_, i) => svc.send('check_in', { memberId: `m_${i}` }));
      await waitFor(() => server.received('check_in').length === 16, 2_000, '16 frames');
      await new Promise((r) => setTimeout(r, 30));
      expect(server.received('check_in')).toHaveLength(16);
      server.options.dropAcks = false;
      for (const ws of server.sockets) {
        for (const f of server.received('check_in').slice(0, 4))
          ws.send(JSON.stringify({ type: 'ack', id: f.id, ok: true }));
      }
      await waitFor(() => server.received('check_in').length === 20, 2_000, 'the other 4');
      expect((await Promise.all(sends.slice(0, 4))).every((o) => o.ok)).toBe(true);
    });

    it('keeps frames within the batch size the server announces', async () => {
      const { svc } = await setup(
        {},
        { limits: { maxFrameBytes: 1_048_576, maxBatchSize: 7, maxInFlight: 16 } },
      );
      await svc.connect();
      const outs = await Promise.all(
        Array.from({ length: 30 }, (_, i) => svc.send('check_in', { memberId: `m_${i}` })),
      );
      expect(outs.every((o) => o.ok)).toBe(true);
      expect(svc.getMetrics().batching.maxBatchSize).toBe(7);
    });

    it('sends a frame again after a retryable frame error and settles BAD_FRAME as a failure', async () => {
      let errors = 0;
      const { svc, server, clock } = await setup(
        { retryBaseDelayMs: 100 },
        {
          errorFor: (f) => {
            if ((f.data as { memberId?: string } | undefined)?.memberId === 'm_bad')
              return { code: 'BAD_FRAME', message: 'bad' };
            return errors++ === 0 ? { code: 'TOO_MANY_IN_FLIGHT', message: 'slow down' } : undefined;
          },
        },
      );
      const notices: string[] = [];
      svc.on('error', (e) => notices.push(e.code));
      await svc.connect();
      const p = svc.send('check_in', { memberId: 'm_1' });
      await waitFor(() => notices.length === 1, 2_000, 'the first error');
      await clock.advance(50);
      expect(await p).toMatchObject({ ok: true });
      expect(await svc.send('check_in', { memberId: 'm_bad' })).toMatchObject({
        ok: false,
        code: 'BAD_FRAME',
      });
      expect(notices).toEqual(['TOO_MANY_IN_FLIGHT', 'BAD_FRAME']);
      expect(server.applied).toHaveLength(1);
    });

    it('settles a low-priority send that waits 5 minutes for its ack as TIMEOUT at the memory check', async () => {
      const { svc, clock } = await setup({}, { dropAcks: true });
      await svc.connect();
      const p = svc.send('client_stats', { state: 'open' });
      const kept = svc.send('check_in', { memberId: 'm_1' });
      await clock.advance(300_000);
      expect(await p).toMatchObject({ ok: false, code: 'TIMEOUT' });
      const m = svc.getMetrics();
      expect(m.handlers.staleCallbacksRemoved).toBe(1);
      expect(m.messages.pending).toBe(1);
      void kept;
    });
  });

  describe('reconnect and outbox', () => {
    it('resends unacked messages with the same ids after a reconnect, each applied once', async () => {
      const { svc, server, clock, states } = await setup({}, { dropAcks: true });
      await svc.connect();
      const sends = [
        svc.send('check_in', { memberId: 'm_1' }),
        svc.send('member_update', { memberId: 'm_2', changes: { name: 'B' } }),
        svc.send('check_out', { memberId: 'm_1' }),
      ];
      await waitFor(() => server.applied.length === 3, 2_000, 'three applied');
      server.options.dropAcks = false;
      server.dropAll();
      await waitFor(() => svc.state === 'reconnecting', 2_000, 'reconnecting');
      await clock.advance(500); // full jitter: 0.5 of the 1 s cap
      const outs = await Promise.all(sends);
      expect(outs.map((o) => o.ok)).toEqual([true, true, true]);
      expect(outs.every((o) => o.ok && o.duplicate)).toBe(true);
      expect(server.applied).toHaveLength(3);
      const ids = sentIds(server);
      expect(ids).toHaveLength(6);
      expect(ids.slice(3)).toEqual(ids.slice(0, 3));
      expect(states.map((s) => s.to)).toEqual(['connecting', 'open', 'reconnecting', 'connecting', 'open']);
      const m = svc.getMetrics();
      expect(m.connection.reconnects).toBe(1);
      expect(m.quality.stability).toBe(80);
      expect(m.messages.errors).toBe(3);
    });

    it('sends resume with the last applied event seq and asks for a reload when the server cannot resume', async () => {
      const { svc, server, clock } = await setup({ topics: ['check_ins'] }, { resumed: false });
      const events: number[] = [];
      const reloads: ReloadNotice[] = [];
      svc.on('check_ins', (e) => events.push(e.seq));
      svc.on('reload', (r) => reloads.push(r));
      await svc.connect();
      server.publish('check_ins', 'check_in.created', {});
      server.publish('check_ins', 'check_in.created', {});
      await waitFor(() => events.length === 2, 2_000, 'two events');
      server.dropAll();
      await waitFor(() => svc.state === 'reconnecting', 2_000, 'reconnecting');
      await clock.advance(500);
      await waitFor(() => svc.state === 'open', 2_000, 'open again');
      const hellos = server.received('hello');
      expect(hellos[0]).toMatchObject({ topics: ['check_ins'] });
      expect(hellos[0]).not.toHaveProperty('resume');
      expect(hellos[1]).toMatchObject({ resume: { lastEventSeq: 2 }, topics: ['check_ins'] });
      expect(reloads).toEqual([{ reason: 'resume_failed', eventSeq: 2 }]);
    });

    it('stops on 4401 and reports it as terminal', async () => {
      const { svc, clock, states } = await setup({ token: 'wrong' }, { token: 'right' });
      const pending = svc.send('check_in', { memberId: 'm_1' });
      await expect(svc.connect()).rejects.toThrow(/4401/);
      expect(svc.state).toBe('closed');
      expect(states.at(-1)).toMatchObject({ to: 'closed', reason: { code: 4401, terminal: true } });
      expect(await pending).toMatchObject({ ok: false, code: 'CLOSED' });
      expect(clock.pendingTimers).toBe(0);
    });

    it('reconnects after a 4508 slow-consumer close', async () => {
      const { svc, server, clock } = await setup();
      await svc.connect();
      server.closeAll(4508, 'slow consumer');
      await waitFor(() => svc.state === 'reconnecting', 2_000, 'reconnecting');
      expect(svc.getMetrics().connection.lastCloseCode).toBe(4508);
      await clock.advance(500);
      await waitFor(() => svc.state === 'open', 2_000, 'open again');
    });

    it('closes and reconnects after two missed pongs', async () => {
      const { svc, server, clock } = await setup({ pingIntervalMs: 5_000 }, { pong: false });
      await svc.connect();
      await clock.advance(9_999);
      expect(svc.state).toBe('open');
      await clock.advance(1);
      expect(svc.state).toBe('reconnecting');
      expect(svc.getMetrics().connection.lastCloseCode).toBe(4000);
      await clock.advance(500);
      await waitFor(() => server.received('hello').length === 2, 2_000, 'a second hello');
    });

    it('gives up a connection attempt after 10 s without welcome', async () => {
      const { svc, server, clock } = await setup({}, { welcome: false });
      void svc.connect().catch(() => {});
      await waitFor(() => server.received('hello').length === 1, 2_000, 'hello');
      await clock.advance(9_999);
      expect(svc.state).toBe('connecting');
      await clock.advance(1);
      expect(svc.state).toBe('reconnecting');
    });

    it('retries with full-jitter backoff growing from 1 s to 5 s', async () => {
      const attempts: number[] = [];
      const clock = new ManualClock();
      class CountingWebSocket extends WebSocket {
        constructor(url: string) {
          super(url);
          attempts.push(clock.monotonicNow());
        }
      }
      const svc = new WebSocketService({
        url: 'ws://127.0.0.1:1/ws',
        clientId: 'd',
        WebSocket: CountingWebSocket,
        clock,
        random: () => 0.999,
        network: null,
        ...QUIET,
      });
      cleanups.push(() => svc.close());
      void svc.connect().catch(() => {});
      // random 0.999 of caps 1, 2, 4, 5, 5 s
      const gaps = [999, 1_998, 3_996, 4_995, 4_995];
      for (const gap of gaps) {
        await waitFor(() => svc.state === 'reconnecting', 2_000, 'a failed attempt');
        const before = attempts.length;
        await clock.advance(gap - 1);
        expect(attempts).toHaveLength(before);
        await clock.advance(1);
        expect(attempts).toHaveLength(before + 1);
      }
    });
  });

  describe('events and handlers', () => {
    it('dispatches events by topic, by name and to event, and skips replayed seqs', async () => {
      const { svc, server } = await setup({ topics: ['*'] });
      const byTopic: string[] = [];
      const byName: number[] = [];
      svc.on('occupancy', (e) => byTopic.push(e.name));
      svc.on('check_in.created', (e) => byName.push(e.seq));
      await svc.connect();
      server.publish('check_ins', 'check_in.created', { memberId: 'm_1' });
      server.publish('occupancy', 'occupancy.changed', { current: 1, capacity: 10, todayTotal: 1 });
      for (const ws of server.sockets) {
        ws.send(
          JSON.stringify({
            type: 'events',
            from: 1,
            to: 3,
            events: [
              { type: 'event', seq: 1, topic: 'check_ins', name: 'check_in.created', data: {} },
              { type: 'event', seq: 3, topic: 'check_ins', name: 'check_in.created', data: {} },
            ],
          }),
        );
      }
      await waitFor(() => byName.length === 2, 2_000, 'events');
      expect(byName).toEqual([1, 3]);
      expect(byTopic).toEqual(['occupancy.changed']);
      expect(svc.getMetrics().connection.lastEventSeq).toBe(3);
    });

    it('ignores frames that do not decode and carries on with the next', async () => {
      const { svc, server } = await setup({ topics: ['*'] });
      const seqs: number[] = [];
      const notices: unknown[] = [];
      svc.on('event', (e) => seqs.push(e.seq));
      svc.on('error', (e) => notices.push(e));
      await svc.connect();
      for (const ws of server.sockets) {
        ws.send('not json');
        ws.send('[1,2]');
        ws.send(JSON.stringify({ type: 'event', seq: 'x', topic: 'check_ins', name: 'check_in.created' }));
        ws.send(JSON.stringify({ type: 'events', from: 1, to: 1, events: [{ seq: 1 }] }));
        ws.send(JSON.stringify({ type: 'ack', seq: 'nine', results: {} }));
        ws.send(JSON.stringify({ type: 'error', code: 7 }));
        ws.send(JSON.stringify({ type: 'surprise' }));
        ws.send(JSON.stringify({ type: 'error', code: 'RATE_LIMITED', message: 'slow', ref: 99 }));
      }
      server.publish('check_ins', 'check_in.created', { memberId: 'm_1' });
      await waitFor(() => seqs.length === 1, 2_000, 'the valid event');
      expect(seqs).toEqual([1]);
      expect(notices).toEqual([{ code: 'RATE_LIMITED', message: 'slow', ref: 99 }]);
      expect(svc.state).toBe('open');
      expect(svc.getMetrics().messages.errors).toBe(0);
    });

    it('subscribes at runtime and in every later hello', async () => {
      const { svc, server } = await setup();
      await svc.connect();
      svc.subscribe(['members']);
      await waitFor(() => server.received('subscribe').length === 1, 2_000, 'subscribe');
      expect(server.received('subscribe')[0]).toEqual({ type: 'subscribe', topics: ['members'] });
    });

    it('emits each settled send as ack and under its type', async () => {
      const { svc } = await setup();
      const acks: string[] = [];
      svc.on('ack', (a) => acks.push(`ack:${a.type}:${a.outcome.ok}`));
      svc.on('check_in', (a) => acks.push(`type:${a.id === undefined}`));
      await svc.connect();
      await svc.send('check_in', { memberId: 'm_1' });
      expect(acks).toEqual(['ack:check_in:true', 'type:false']);
    });

    it('removes temporary handlers unused for 5 minutes at the 60 s memory check, never held ones', async () => {
      const { svc, clock } = await setup();
      await svc.connect();
      svc.on('members', () => {}, { temporary: true });
      svc.on('occupancy', () => {});
      await clock.advance(299_999);
      expect(svc.getMetrics().handlers.byType).toHaveProperty('members');
      expect(svc.getMetrics().handlers.lastCleanupAt).toBe(clock.now() - 59_999); // the 240 s check
      await clock.advance(1); // the 300 s check: 5 minutes unused
      const h = svc.getMetrics().handlers;
      expect(h.byType).not.toHaveProperty('members');
      expect(h.byType).toHaveProperty('occupancy');
      expect(h.removed).toBe(1);
      expect(h.lastCleanupAt).toBe(clock.now());
      await clock.advance(3_600_000 - 300_000 - 1);
      expect(svc.getMetrics().handlers.byType).toHaveProperty('occupancy');
    });
  });

  describe('timers', () => {
    it('sends client_stats every 30 s', async () => {
      const { svc, server, clock } = await setup({ clientStatsIntervalMs: 30_000 });
      await svc.connect();
      await clock.advance(29_999);
      expect(server.received('client_stats')).toHaveLength(0);
      await clock.advance(1);
      await waitFor(() => server.received('client_stats').length === 1, 2_000, 'client_stats');
      expect(server.received('client_stats')[0]).toMatchObject({
        data: { state: 'open', quality: { score: 100 } },
      });
    });

    it('resets cumulative statistics every hour and keeps rolling ones', async () => {
      const { svc, clock } = await setup();
      await svc.connect();
      await svc.send('check_in', { memberId: 'm_1' });
      const before = svc.getMetrics();
      expect(before.messages.sent).toBe(1);
      expect(before.batching.batchesSent).toBe(1);
      await clock.advance(3_600_000);
      const after = svc.getMetrics();
      expect(after.messages).toMatchObject({ sent: 0, acked: 0 });
      expect(after.batching.batchesSent).toBe(0);
      expect(after.connection.state).toBe('open');
      expect(after.windowStartedAt).toBe(clock.now());
    });

    it('clears every timer and listener on close and settles pending sends as CLOSED', async () => {
      const listeners = new Set<string>();
      const network: NetworkEvents = {
        addEventListener: (t) => listeners.add(t),
        removeEventListener: (t) => listeners.delete(t),
      };
      const { svc, clock, server } = await setup(
        { network, pingIntervalMs: 5_000, clientStatsIntervalMs: 30_000 },
        { dropAcks: true },
      );
      await svc.connect();
      expect(listeners.size).toBe(2);
      const pending = svc.send('check_in', { memberId: 'm_1' });
      await waitFor(() => server.applied.length === 1, 2_000, 'applied');
      await svc.close();
      expect(await pending).toMatchObject({ ok: false, code: 'CLOSED' });
      expect(clock.pendingTimers).toBe(0);
      expect(listeners.size).toBe(0);
      expect(svc.getMetrics().handlers.count).toBe(0);
      expect(await svc.send('check_in', { memberId: 'm_2' })).toMatchObject({ code: 'CLOSED' });
    });

    it('pauses reconnecting while offline and reconnects at once when online', async () => {
      const listeners = new Map<string, () => void>();
      const network: NetworkEvents = {
        addEventListener: (t, l) => listeners.set(t, l),
        removeEventListener: (t) => listeners.delete(t),
      };
      const { svc, server, clock } = await setup({ network });
      await svc.connect();
      server.dropAll();
      await waitFor(() => svc.state === 'reconnecting', 2_000, 'reconnecting');
      listeners.get('offline')?.();
      await clock.advance(60_000);
      expect(svc.state).toBe('reconnecting');
      expect(server.received('hello')).toHaveLength(1);
      listeners.get('online')?.();
      await settle();
      expect(svc.state).toBe('connecting');
      await waitFor(() => svc.state === 'open', 2_000, 'open');
    });
  });

  it('explains a missing WebSocket class', () => {
    expect(() => new WebSocketService({ url: 'ws://x/ws', clientId: 'd', WebSocket: undefined })).toThrow(
      /ws package/,
    );
  });
});
