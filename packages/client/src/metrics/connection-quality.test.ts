import { describe, expect, it } from 'vitest';
import { connectionQuality, dropRateScore, latencyScore, stabilityScore } from './connection-quality.js';

describe('connection quality', () => {
  it('scores latency 100 up to 100 ms, linearly down to 0 at 1000 ms', () => {
    expect(latencyScore(0)).toBe(100);
    expect(latencyScore(99.9)).toBe(100);
    expect(latencyScore(100)).toBe(100);
    expect(latencyScore(550)).toBe(50);
    expect(latencyScore(1_000)).toBe(0);
    expect(latencyScore(5_000)).toBe(0);
  });

  it('takes 10 points off the drop-rate score per percent of errors', () => {
    expect(dropRateScore(0)).toBe(100);
    expect(dropRateScore(0.01)).toBeCloseTo(90);
    expect(dropRateScore(0.05)).toBeCloseTo(50);
    expect(dropRateScore(0.1)).toBe(0);
    expect(dropRateScore(0.5)).toBe(0);
    expect(dropRateScore(0.05, 5)).toBeCloseTo(75);
  });

  it('takes 20 points off stability per reconnect, down to 0', () => {
    expect([0, 1, 2, 5, 9].map(stabilityScore)).toEqual([100, 80, 60, 0, 0]);
  });

  it('weighs latency 30, drop rate 40, stability 30 and exposes each factor', () => {
    const q = connectionQuality({ avgLatencyMs: 550, errorRate: 0.02, reconnects: 1 });
    expect(q.latency).toBe(50);
    expect(q.dropRate).toBeCloseTo(80);
    expect(q.stability).toBe(80);
    expect(q.score).toBeCloseTo(71);
    expect(q.weights).toEqual({ latency: 0.3, dropRate: 0.4, stability: 0.3 });
  });

  it('spans 0 to 100 at its edges', () => {
    expect(connectionQuality({ avgLatencyMs: 0, errorRate: 0, reconnects: 0 }).score).toBe(100);
    expect(connectionQuality({ avgLatencyMs: 2_000, errorRate: 1, reconnects: 10 }).score).toBe(0);
    expect(connectionQuality({ avgLatencyMs: 2_000, errorRate: 0, reconnects: 0 }).score).toBe(70);
  });
});
