import { validateMessage } from '@av-gym/protocol';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { WebSocketService } from '../connection/websocket-service.js';
import { FakeServer } from '../testing/fake-server.js';
import { ManualClock } from '../testing/manual-clock.js';
import { clientStatsPayload } from './client-stats-payload.js';

let stop: (() => Promise<void>) | undefined;
afterEach(async () => {
  await stop?.();
  stop = undefined;
});

describe('clientStatsPayload', () => {
  it('passes the server schema of client_stats unchanged, before and after traffic', async () => {
    const server = await new FakeServer({ verdict: () => ({ accept: true }) }).start();
    const svc = new WebSocketService({
      url: server.url,
      clientId: 'desk-1',
      WebSocket,
      clock: new ManualClock(),
      random: () => 0.5,
      network: null,
      pingIntervalMs: 1e12,
      clientStatsIntervalMs: 0,
    });
    stop = async () => {
      await svc.close();
      await server.stop();
    };
    const check = () => {
      const payload = clientStatsPayload(svc.getMetrics());
      expect(validateMessage('client_stats', payload)).toEqual({
        ok: true,
        type: 'client_stats',
        data: payload,
      });
    };
    check();
    await svc.connect();
    await Promise.all([
      svc.send('check_in', { memberId: 'm_1' }),
      svc.send('check_out', { memberId: 'm_1' }),
    ]);
    check();
  });
});
