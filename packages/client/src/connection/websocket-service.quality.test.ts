import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { clientStatsPayload } from '../metrics/client-stats-payload.js';
import { FakeServer, type FakeServerOptions } from '../testing/fake-server.js';
import { ManualClock } from '../testing/manual-clock.js';
import { waitFor } from '../testing/wait-for.js';
import type { WebSocketServiceOptions } from './service-options.js';
import { WebSocketService } from './websocket-service.js';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function setup(options: Partial<WebSocketServiceOptions> = {}, serverOptions: FakeServerOptions = {}) {
  const server = await new FakeServer(serverOptions).start();
  const clock = new ManualClock();
  const lines: { level: string; message: string }[] = [];
  const logger = {
    info: (_f: Record<string, unknown>, message: string) => lines.push({ level: 'info', message }),
    warn: (_f: Record<string, unknown>, message: string) => lines.push({ level: 'warn', message }),
  };
  const svc = new WebSocketService({
    url: server.url,
    clientId: 'desk-q',
    WebSocket,
    clock,
    random: () => 0.5,
    network: null,
    pingIntervalMs: 1e12,
    clientStatsIntervalMs: 0,
    logger,
    ...options,
  });
  cleanups.push(async () => {
    await svc.close();
    await server.stop();
  });
  return { server, clock, svc, lines };
}

describe('WebSocketService quality window', () => {
  it('counts no drop for messages cut in flight and delivered once afterwards, and forgets the reconnect after the window', async () => {
    const { svc, server, clock, lines } = await setup({ qualityWindowMs: 60_000 }, { dropAcks: true });
    await svc.connect();
    const sends = Array.from({ length: 10 }, (_, i) => svc.send('check_in', { memberId: `m_${i}` }));
    await waitFor(() => server.applied.length === 10, 2_000, 'ten applied');
    server.options.dropAcks = false;
    server.dropAll();
    await waitFor(() => svc.state === 'reconnecting', 2_000, 'reconnecting');
    await clock.advance(500);
    const outs = await Promise.all(sends);
    expect(outs.every((o) => o.ok)).toBe(true);
    const m = svc.getMetrics();
    expect(m.messages.errors).toBe(10); // the cumulative counter still sees the failed attempts
    expect(m.quality.inputs.errorRate).toBe(0);
    expect(m.quality.dropRate).toBe(100);
    expect(m.quality.stability).toBe(80);
    expect(m.quality.score).toBeGreaterThanOrEqual(94);
    expect(lines).toContainEqual({ level: 'info', message: 'reconnected' });
    expect(clientStatsPayload(m).reconnects).toBe(1); // what the server's reconnect_storm rule reads
    await clock.advance(60_000);
    const later = svc.getMetrics();
    expect(later.quality.stability).toBe(100);
    expect(clientStatsPayload(later).reconnects).toBe(0);
    expect(later.connection.reconnects).toBe(1); // cumulative until the hourly reset
  });

  it('counts a message refused by a full queue as lost and warns through the logger', async () => {
    const { svc, lines } = await setup();
    const waiting = Array.from({ length: 200 }, (_, i) => svc.send('check_in', { memberId: `m_${i}` }));
    const refused = await svc.send('check_out', { memberId: 'm_1' });
    expect(refused).toMatchObject({ ok: false, code: 'BACKPRESSURE' });
    await svc.connect();
    expect((await Promise.all(waiting)).every((o) => o.ok)).toBe(true);
    expect(svc.getMetrics().quality.inputs.errorRate).toBeCloseTo(1 / 201);
    expect(lines.filter((l) => l.message === 'message lost')).toHaveLength(1);
  });
});

describe('WebSocketService alerts (extension)', () => {
  it('emits each alert frame as an alert event', async () => {
    const { svc, server } = await setup({ topics: ['alerts'] });
    const seen: string[] = [];
    svc.on('alert', (a) => seen.push(`${a.rule}:${a.state}`));
    await svc.connect();
    server.sendAll({
      type: 'alert',
      alert: {
        id: 'al_1',
        rule: 'desk_offline',
        subject: 'desk-3',
        severity: 'critical',
        state: 'firing',
        summary: 'Desk desk-3 offline for 4 min',
        value: 240_000,
        node: 'node-a',
        startedAt: 1,
        firedAt: 2,
        resolvedAt: null,
        updatedAt: 2,
      },
    });
    await waitFor(() => seen.length === 1, 2_000, 'the alert');
    expect(seen).toEqual(['desk_offline:firing']);
  });
});
