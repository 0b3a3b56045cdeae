import { expect, it } from 'vitest';
import { describeEachBackend } from '../../../test/support/consumer-harness.js';

describeEachBackend('client_stats handler', (h) => {
  it('keeps the last snapshot per clientId', async () => {
    const out = await h.send({
      client_stats: [
        { id: 's1', data: { state: 'connected', reconnects: 1 } },
        { id: 's2', data: { state: 'connected', reconnects: 2 } },
      ],
    });
    expect(out.results.client_stats?.accepted).toEqual(['s1', 's2']);
    await h.send({ client_stats: [{ id: 's3', data: { state: 'reconnecting' } }] }, { clientId: 'desk-2' });
    const rows = await h.store.listClientStats();
    expect(rows.map((r) => [r.clientId, r.stats])).toEqual([
      ['desk-1', { state: 'connected', reconnects: 2 }],
      ['desk-2', { state: 'reconnecting' }],
    ]);
    expect(rows[0]?.receivedAt).toBe(h.clock.now());
    expect(out.events).toEqual([]);
  });
});
