import { describe, expect, it } from 'vitest';
import { type SampleTick, samplesOf } from './history-sampler.js';

const NOW = 1_800_000_000_000;
const figures = {
  messagesPerSecond: { check_in: 3, member_update: 1 },
  ackP50Ms: 2,
  ackP99Ms: 9,
  connections: 4,
  queueBytes: 0,
  eventsDropped: 0,
  occupancy: 17,
};

function tick(extra: Partial<SampleTick> = {}): SampleTick {
  return {
    now: NOW,
    node: 'node-a',
    figures,
    clientStats: [],
    clientStatsOk: true,
    connected: new Set(),
    ...extra,
  };
}

describe('samplesOf', () => {
  it('samples the node figures, messages per second in total and by type', () => {
    const s = samplesOf(tick(), 90_000);
    const value = (metric: string) => s.find((x) => x.metric === metric && x.node === 'node-a')?.value;
    expect(value('messages_per_sec')).toBe(4);
    expect(value('messages_per_sec:check_in')).toBe(3);
    expect(value('messages_per_sec:check_out')).toBe(0);
    expect(value('ack_p99_ms')).toBe(9);
    expect(value('occupancy')).toBe(17);
  });

  it('samples an online desk fully, an offline desk as offline only, and a desk silent for a day not at all', () => {
    const stats = {
      quality: { score: 77 },
      latencyMs: { p50: 10, p95: 30 },
      reconnects: 1,
      messages: { errors: 2, pending: 0 },
    };
    const s = samplesOf(
      tick({
        clientStats: [
          { clientId: 'on', receivedAt: NOW - 1_000, stats },
          { clientId: 'here', receivedAt: NOW - 500_000, stats }, // silent, but its socket is open here
          { clientId: 'off', receivedAt: NOW - 100_000, stats },
          { clientId: 'gone', receivedAt: NOW - 2 * 86_400_000, stats },
        ],
        connected: new Set(['here']),
      }),
      90_000,
    );
    const of = (desk: string) =>
      Object.fromEntries(s.filter((x) => x.desk === desk).map((x) => [x.metric, x.value]));
    expect(of('on')).toEqual({
      desk_online: 1,
      desk_quality: 77,
      desk_latency_p50_ms: 10,
      desk_latency_p95_ms: 30,
      desk_reconnects: 1,
      desk_errors: 2,
      desk_pending: 0,
    });
    expect(of('here').desk_online).toBe(1);
    expect(of('off')).toEqual({ desk_online: 0 });
    expect(of('gone')).toEqual({});
  });
});
