import type { EventFrame } from '@av-gym/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { WebSocketService } from '../src/index.js';
import { waitFor } from '../src/testing/wait-for.js';
import { type InProcessServer, startInProcessServer } from './in-process-server.js';

const TOKEN = 'client-int-token-0123456789';

let server: InProcessServer;
let wsUrl: string;

beforeAll(async () => {
  server = await startInProcessServer(TOKEN);
  wsUrl = server.wsUrl;
});

afterAll(async () => {
  await server?.close();
});

function service(clientId: string, topics: string[] = []) {
  return new WebSocketService({ url: wsUrl, token: TOKEN, clientId, WebSocket, topics, network: null });
}

describe('WebSocketService against the real server', () => {
  it('creates, updates, checks in and out, and sees the events of another desk', async () => {
    const desk = service('desk-a');
    const watcher = service('desk-b', ['check_ins', 'members']);
    const events: EventFrame[] = [];
    watcher.on('event', (e) => events.push(e));
    try {
      await Promise.all([desk.connect(), watcher.connect()]);
      const created = await desk.send('member_create', {
        memberId: 'm_int_1',
        name: 'Ada Lovelace',
        plan: 'premium',
        expiresAt: '2099-12-31',
      });
      expect(created).toMatchObject({ ok: true });
      const [u1, u2, inn, out] = await Promise.all([
        desk.send('member_update', { memberId: 'm_int_1', changes: { phone: '555-0101' }, baseVersion: 1 }),
        desk.send('member_update', { memberId: 'm_int_1', changes: { notes: 'prefers mornings' } }),
        desk.send('check_in', { memberId: 'm_int_1', deskId: 'desk-a' }),
        desk.send('check_out', { memberId: 'm_int_1', deskId: 'desk-a' }),
      ]);
      expect([u1?.ok, u2?.ok, inn?.ok, out?.ok]).toEqual([true, true, true, true]);
      expect(await desk.send('check_out', { memberId: 'm_int_1' })).toMatchObject({
        ok: false,
        code: 'NOT_CHECKED_IN',
      });
      await waitFor(() => events.some((e) => e.name === 'check_out.created'), 5_000, 'check_out event');
      const names = events.map((e) => e.name);
      expect(names).toEqual(expect.arrayContaining(['member.created', 'member.updated', 'check_in.created']));
      expect(names.indexOf('check_in.created')).toBeLessThan(names.indexOf('check_out.created'));
      const m = desk.getMetrics();
      // the two updates of one member in one window went out as one message
      expect(m.batching.coalescedByPriority.medium).toBe(1);
      expect(m.messages).toMatchObject({ acked: 4, rejected: 1, pending: 0 });
    } finally {
      await desk.close();
      await watcher.close();
    }
  });

  it('keeps a member check-in and check-out in order inside one batch', async () => {
    const desk = service('desk-c');
    try {
      await desk.connect();
      await desk.send('member_create', {
        memberId: 'm_int_2',
        name: 'Grace',
        plan: 'basic',
        expiresAt: '2099-01-01',
      });
      const outs = await Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          desk.send(i % 2 === 0 ? 'check_in' : 'check_out', { memberId: 'm_int_2' }),
        ),
      );
      expect(outs.every((o) => o.ok)).toBe(true);
      expect(desk.getMetrics().batching.maxBatchSize).toBeGreaterThan(1);
    } finally {
      await desk.close();
    }
  });

  it('is refused for good with a wrong token', async () => {
    const desk = new WebSocketService({ url: wsUrl, token: 'nope', clientId: 'x', WebSocket, network: null });
    await expect(desk.connect()).rejects.toThrow(/4401/);
    expect(desk.state).toBe('closed');
  });
});
