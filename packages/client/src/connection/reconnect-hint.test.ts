import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { FakeServer } from '../testing/fake-server.js';
import { ManualClock } from '../testing/manual-clock.js';
import { waitFor } from '../testing/wait-for.js';
import { hintedDelayMs } from './reconnect-hint.js';
import { WebSocketService } from './websocket-service.js';

describe('hintedDelayMs', () => {
  it('spreads the delay over the hinted window with the random source', () => {
    const hint = { reconnectMinMs: 500, reconnectMaxMs: 5_000 };
    expect(hintedDelayMs(hint, () => 0)).toBe(500);
    expect(hintedDelayMs(hint, () => 0.5)).toBe(2_750);
    expect(hintedDelayMs(hint, () => 0.999_999)).toBe(4_999);
  });

  it('never goes below the lower end, even for a window given backwards', () => {
    expect(hintedDelayMs({ reconnectMinMs: 3_000, reconnectMaxMs: 1_000 }, () => 0.9)).toBe(3_000);
  });

  it('clamps a hint outside the protocol bounds', () => {
    expect(hintedDelayMs({ reconnectMinMs: -5, reconnectMaxMs: 0 }, () => 0.5)).toBe(0);
    expect(hintedDelayMs({ reconnectMinMs: 1e9, reconnectMaxMs: 1e9 }, () => 0.5)).toBe(600_000);
  });
});

describe('WebSocketService and a goaway before 1012', () => {
  const cleanups: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const c of cleanups.splice(0).reverse()) await c();
  });

  /** A service on the fake server whose socket constructions are counted (an attempt each). */
  async function setup(random: () => number) {
    const server = await new FakeServer().start();
    const clock = new ManualClock();
    const attempts: number[] = [];
    class CountingWebSocket extends WebSocket {
      constructor(url: string) {
        super(url);
        attempts.push(clock.monotonicNow());
      }
    }
    const svc = new WebSocketService({
      url: server.url,
      clientId: 'desk-goaway',
      WebSocket: CountingWebSocket,
      clock,
      random,
      network: null,
      pingIntervalMs: 1e12,
      clientStatsIntervalMs: 0,
    });
    cleanups.push(async () => {
      await svc.close();
      await server.stop();
    });
    await svc.connect();
    return { server, clock, svc, attempts };
  }

  /** The server drains: the hint, then the close; resolves once the client has seen the close. */
  async function restart(server: FakeServer, svc: WebSocketService, hint: object | undefined, code = 1012) {
    if (hint) server.sendAll({ type: 'goaway', ...hint });
    server.closeAll(code, code === 1012 ? 'service restart' : 'try again later');
    await waitFor(() => svc.state === 'reconnecting', 2_000, 'reconnecting');
  }

  it('reconnects after a delay inside the hinted window, picked by the random source', async () => {
    const { server, clock, svc, attempts } = await setup(() => 0.25);
    await restart(server, svc, { reconnectMinMs: 1_000, reconnectMaxMs: 5_000 });
    expect(svc.getMetrics().connection.lastCloseCode).toBe(1012);
    const before = attempts.length;
    await clock.advance(1_999); // 1000 + 0.25 * 4000 = 2000
    expect(attempts).toHaveLength(before);
    await clock.advance(1);
    expect(attempts).toHaveLength(before + 1);
    await waitFor(() => svc.state === 'open', 2_000, 'open again');
    expect(server.received('hello')).toHaveLength(2);
  });

  it('spreads a fleet over the window: each desk waits its own random share of it', async () => {
    const delays: number[] = [];
    for (const r of [0, 0.5, 0.99]) {
      const { server, clock, svc, attempts } = await setup(() => r);
      await restart(server, svc, { reconnectMinMs: 200, reconnectMaxMs: 1_200 });
      const before = attempts.length;
      const started = clock.monotonicNow();
      for (let i = 0; i < 1_300 && attempts.length === before; i++) await clock.advance(1);
      delays.push(attempts[before]! - started);
    }
    expect(delays).toEqual([200, 700, 1_190]);
  });

  it('uses a hint once: the next unhinted loss goes back to the jittered backoff', async () => {
    const { server, clock, svc, attempts } = await setup(() => 0.5);
    await restart(server, svc, { reconnectMinMs: 3_000, reconnectMaxMs: 3_000 });
    await clock.advance(3_000);
    await waitFor(() => svc.state === 'open', 2_000, 'open after the hinted delay');
    server.closeAll(1001, 'going away');
    await waitFor(() => svc.state === 'reconnecting', 2_000, 'reconnecting again');
    const before = attempts.length;
    await clock.advance(499); // backoff: 0.5 of the first 1 s cap
    expect(attempts).toHaveLength(before);
    await clock.advance(1);
    expect(attempts).toHaveLength(before + 1);
  });

  it('paces a refusal too: a goaway before 1013 (a node at its limits) sets the retry inside its window', async () => {
    const { server, clock, svc, attempts } = await setup(() => 0.5);
    await restart(server, svc, { reconnectMinMs: 250, reconnectMaxMs: 3_000 }, 1013);
    expect(svc.getMetrics().connection.lastCloseCode).toBe(1013);
    const before = attempts.length;
    await clock.advance(1_624); // 250 + 0.5 * 2750 = 1625, not the backoff's 500
    expect(attempts).toHaveLength(before);
    await clock.advance(1);
    expect(attempts).toHaveLength(before + 1);
    await waitFor(() => svc.state === 'open', 2_000, 'open again');
  });

  it('treats a 1012 without a hint like any other loss (backoff)', async () => {
    const { server, clock, svc, attempts } = await setup(() => 0.5);
    await restart(server, svc, undefined);
    const before = attempts.length;
    await clock.advance(499);
    expect(attempts).toHaveLength(before);
    await clock.advance(1);
    expect(attempts).toHaveLength(before + 1);
  });
});
