import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { consumerBackends } from '../consumer-backends.js';
import { type ConsumerHarness, openHarness } from '../consumer-harness.js';

describe.each(consumerBackends().map((b) => [b.name, b] as const))(
  'client_stats handler (%s)',
  (_name, backend) => {
    let h: ConsumerHarness;
    beforeEach(async () => {
      h = await openHarness({ backend });
    });
    afterEach(async () => {
      await h.cleanup();
    });

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
  },
);
