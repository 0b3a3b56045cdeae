import { describe, expect, it } from 'vitest';
import { CompressionPolicy } from './compression-policy.js';

const policy = () =>
  new CompressionPolicy({ minBytes: 1000, sampleFrames: 4, pauseMs: 10_000, linkBytesPerMs: 1000 });

/** Records `n` frames of 4000 JSON bytes compressed to `wire` bytes, each taking `costMs`, one every `gapMs` from `startMs`. */
function feed(p: CompressionPolicy, n: number, wire: number, costMs: number, startMs: number, gapMs = 10) {
  for (let i = 0; i < n; i++) p.record(4000, wire, costMs, startMs + i * gapMs);
}

describe('CompressionPolicy', () => {
  it('compresses frames from the threshold up, not below', () => {
    const p = policy();
    expect(p.shouldCompress(999, 0)).toBe(false);
    expect(p.shouldCompress(1000, 0)).toBe(true);
  });

  it('keeps compressing while a sample saves well and quickly', () => {
    const p = policy();
    feed(p, 12, 1000, 0.1, 0);
    expect(p.shouldCompress(4000, 1)).toBe(true);
    expect(p.pauses).toBe(0);
  });

  it('pauses when a sample saves less than 20%', () => {
    const p = policy();
    feed(p, 4, 3500, 0.01, 100);
    expect(p.pauses).toBe(1);
    expect(p.shouldCompress(4000, 101)).toBe(false);
    expect(p.paused(10_099)).toBe(true);
  });

  it('pauses when compressing takes longer than the saved bytes take to send', () => {
    const p = policy();
    // 3000 bytes saved per frame at 1000 bytes/ms is 3 ms; compressing took 5 ms
    feed(p, 4, 1000, 5, 0);
    expect(p.shouldCompress(4000, 1)).toBe(false);
  });

  it('judges only a full sample: one slow frame among fast ones does not pause it', () => {
    const p = policy();
    feed(p, 3, 1000, 0.1, 0);
    p.record(4000, 1000, 8, 40);
    expect(p.pauses).toBe(0);
    feed(p, 3, 3900, 0, 0);
    expect(p.shouldCompress(4000, 0)).toBe(true);
  });

  it('pauses when compressing keeps the sender busy more than a quarter of the time', () => {
    const p = policy();
    // 0.5 ms of every 1 ms: cheap against the link, but half the CPU
    feed(p, 4, 1000, 0.5, 0, 1);
    expect(p.pauses).toBe(1);
    const q = policy();
    feed(q, 4, 1000, 0.5, 0, 10);
    expect(q.pauses).toBe(0);
  });

  it('tries again after the pause with a fresh sample', () => {
    const p = policy();
    feed(p, 4, 3900, 0, 0); // judged at 30 ms: paused until 10 030 ms
    expect(p.shouldCompress(4000, 10_029)).toBe(false);
    expect(p.shouldCompress(4000, 10_030)).toBe(true);
    feed(p, 4, 1000, 0.1, 10_030);
    expect(p.shouldCompress(4000, 10_100)).toBe(true);
    expect(p.pauses).toBe(1);
  });
});
