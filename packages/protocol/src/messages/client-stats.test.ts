import { describe, expect, it } from 'vitest';
import { validateMessage } from '../decode.js';
import { MAX_CLIENT_STATS_BYTES } from '../limits.js';

/** What `@av-gym/client` sends (clientStatsPayload), with realistic figures. */
const payload = {
  state: 'open',
  quality: { score: 100.00000000000001, latency: 100, dropRate: 100, stability: 100 },
  latencyMs: { avg: 3.2, p50: 3, p95: 7.5 },
  reconnects: 0,
  batching: {
    batchesSent: 12,
    messagesSent: 40,
    avgBatchSize: 3.3333333333333335,
    savedRatio: -0.12,
    compressedFrames: 0,
    compressionRatio: 1,
    queueDepth: 0,
  },
  messages: { sent: 40, acked: 39, errors: 0, pending: 1 },
};

describe('client_stats data', () => {
  it('accepts what the client sends, unchanged', () => {
    expect(validateMessage('client_stats', payload)).toEqual({
      ok: true,
      type: 'client_stats',
      data: payload,
    });
    expect(validateMessage('client_stats', {}).ok).toBe(true);
  });

  it('strips unknown fields at every level', () => {
    const r = validateMessage('client_stats', {
      ...payload,
      junk: 'z'.repeat(50_000),
      latencyMs: { ...payload.latencyMs, samples: [1, 2, 3] },
    });
    expect(r).toEqual({ ok: true, type: 'client_stats', data: payload });
  });

  it('refuses numbers out of range, long strings and nested values', () => {
    const bad: Record<string, unknown>[] = [
      { quality: { score: 1e308, latency: 0, dropRate: 0, stability: 0 } },
      { quality: { score: 1 } },
      { latencyMs: { avg: -1 } },
      { reconnects: 1.5 },
      { reconnects: 1e13 },
      { state: 'x'.repeat(33) },
      { userAgent: 'x'.repeat(301) },
      { batching: { nested: { deep: 1 } } },
      { batching: { list: [1, 2] } },
      { batching: { long: 'x'.repeat(65) } },
      { batching: Object.fromEntries(Array.from({ length: 33 }, (_, i) => [`k${i}`, i])) },
      { messages: { sent: -1 } },
    ];
    for (const data of bad)
      expect(validateMessage('client_stats', data)).toMatchObject({ ok: false, code: 'VALIDATION_FAILED' });
  });

  it(`keeps at most ${MAX_CLIENT_STATS_BYTES} bytes`, () => {
    const batching = Object.fromEntries(
      Array.from({ length: 32 }, (_, i) => [`key-${i}-${'k'.repeat(56)}`, 'v'.repeat(64)]),
    );
    expect(JSON.stringify({ batching }).length).toBeGreaterThan(MAX_CLIENT_STATS_BYTES);
    expect(validateMessage('client_stats', { batching })).toEqual({
      ok: false,
      code: 'VALIDATION_FAILED',
      message: `at most ${MAX_CLIENT_STATS_BYTES} bytes as JSON`,
    });
  });
});
