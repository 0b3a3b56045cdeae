import type { StatsDocument } from '@av-gym/protocol';
import { describe, expect, it } from 'vitest';
import { codeWords } from './server-panel.js';
import { toServerStatsView } from './server-stats-view.js';

const stats: StatsDocument = {
  serverTime: 10_000,
  uptimeMs: 9_000,
  windowSeconds: 10,
  connections: { open: 3, total: 5 },
  framesPerSecond: { in: { batch: 4 }, out: { ack: 4 } },
  messagesPerSecond: { client_stats: 0.2, check_in: 4.5 },
  messagesTotal: { client_stats: 2, check_in: 45 },
  batchHandling: { p50Ms: 3.2, p99Ms: 18, count: 40, batches: 40, transactions: 12 },
  rejectedByCode: { VERSION_CONFLICT: 1, MEMBERSHIP_INACTIVE: 6 },
  queues: { outboundMaxBytes: 10, outboundTotal: 42 },
  bytes: {
    in: 1_000,
    out: 4_000,
    inPerSecond: 100,
    outPerSecond: 400,
    compressedFramesIn: 0,
    compressedIn: 0,
    inflatedIn: 0,
    compressionRatio: 1,
  },
  events: { eventSeq: 7, published: 7, fannedOut: 14, fannedOutPerSecond: 1.4, dropped: 0 },
  closesByCode: { 1000: 2 },
  consumer: { messagesByType: { check_in: { accepted: 44, duplicates: 0, rejected: 1 } } },
  fleet: [
    {
      clientId: 'desk-a',
      receivedAt: 5,
      connected: true,
      quality: 92,
      latencyMs: 4,
      stats: { reconnects: 0 },
      statsOmitted: false,
    },
    {
      clientId: 'desk-b',
      receivedAt: 6,
      connected: false,
      quality: null,
      latencyMs: null,
      stats: {},
      statsOmitted: false,
    },
  ],
  fleetPage: { total: 2, offset: 0, limit: 50 },
};

describe('toServerStatsView', () => {
  it('reads the server figures', () => {
    const view = toServerStatsView(stats);
    expect(view.connections).toBe(3);
    expect(view.handleMs).toEqual({ p50: 3.2, p99: 18 });
    expect(view.queueDepth).toBe(42);
    expect([view.bytesIn, view.bytesOut]).toEqual([1_000, 4_000]);
  });

  it('sorts rates by type and rejections by count', () => {
    const view = toServerStatsView(stats);
    expect(view.messagesPerSecond.map((m) => m.type)).toEqual(['check_in', 'client_stats']);
    expect(view.rejections[0]).toEqual({ code: 'MEMBERSHIP_INACTIVE', count: 6 });
  });

  it('lists each desk with its connection and reported quality', () => {
    const [a, b] = toServerStatsView(stats).fleet;
    expect(a).toMatchObject({
      clientId: 'desk-a',
      state: 'connected',
      quality: 92,
      latencyMs: 4,
      reconnects: 0,
    });
    expect(b).toMatchObject({ clientId: 'desk-b', state: 'disconnected', quality: null });
  });

  it('survives an empty or foreign document', () => {
    const view = toServerStatsView(null);
    expect(view.connections).toBe(0);
    expect(view.fleet).toEqual([]);
  });
});

describe('codeWords', () => {
  it('turns a code into words', () => {
    expect(codeWords('MEMBERSHIP_INACTIVE')).toBe('Membership inactive');
  });
});
