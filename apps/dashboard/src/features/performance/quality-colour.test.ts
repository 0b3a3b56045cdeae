import { describe, expect, it } from 'vitest';
import {
  DEFAULT_WEIGHTS,
  dropRateScore,
  latencyLevel,
  latencyScore,
  qualityBreakdown,
  scoreLevel,
  stabilityScore,
} from './quality-colour.js';

describe('scoreLevel', () => {
  it('is green at 80 and above', () => {
    expect(scoreLevel(80).level).toBe('good');
    expect(scoreLevel(100).level).toBe('good');
  });

  it('is yellow from 50 to just under 80', () => {
    expect(scoreLevel(50).level).toBe('fair');
    expect(scoreLevel(79.9).level).toBe('fair');
  });

  it('is red below 50', () => {
    expect(scoreLevel(49.9).level).toBe('poor');
    expect(scoreLevel(0).level).toBe('poor');
  });

  it('gives every band words and an icon besides the colour', () => {
    const badges = [scoreLevel(90), scoreLevel(60), scoreLevel(10)];
    expect(new Set(badges.map((b) => b.label)).size).toBe(3);
    expect(new Set(badges.map((b) => b.icon)).size).toBe(3);
  });
});

describe('latencyScore', () => {
  it('is 100 below 100 ms', () => {
    expect(latencyScore(0)).toBe(100);
    expect(latencyScore(99)).toBe(100);
  });

  it('falls linearly to 0 at 1000 ms', () => {
    expect(latencyScore(100)).toBe(100);
    expect(latencyScore(550)).toBeCloseTo(50);
    expect(latencyScore(1_000)).toBe(0);
    expect(latencyScore(5_000)).toBe(0);
  });
});

describe('latencyLevel', () => {
  it('colours latency through its score', () => {
    expect(latencyLevel(20).level).toBe('good');
    expect(latencyLevel(280).level).toBe('good');
    expect(latencyLevel(400).level).toBe('fair');
    expect(latencyLevel(700).level).toBe('poor');
  });

  it('counts no samples as good', () => {
    expect(latencyLevel(null).level).toBe('good');
  });
});

describe('dropRateScore and stabilityScore', () => {
  it('scores a drop rate as the share delivered', () => {
    expect(dropRateScore(0)).toBe(100);
    expect(dropRateScore(0.25)).toBe(75);
    expect(dropRateScore(2)).toBe(0);
  });

  it('takes 20 points per reconnect down to 0', () => {
    expect(stabilityScore(0)).toBe(100);
    expect(stabilityScore(2)).toBe(60);
    expect(stabilityScore(9)).toBe(0);
  });
});

describe('qualityBreakdown', () => {
  it('weights latency 30, drop rate 40, stability 30 by default', () => {
    const { factors, total } = qualityBreakdown({ latency: 100, dropRate: 50, stability: 80 });
    expect(factors.map((f) => f.weightPercent)).toEqual([30, 40, 30]);
    expect(total).toBeCloseTo(30 + 20 + 24);
  });

  it('scores 100 when every factor is perfect', () => {
    expect(qualityBreakdown({ latency: 100, dropRate: 100, stability: 100 }).total).toBeCloseTo(100);
  });

  it('normalises weights that do not sum to 100', () => {
    const { factors } = qualityBreakdown(
      { latency: 0, dropRate: 0, stability: 0 },
      { latency: 1, dropRate: 1, stability: 2 },
    );
    expect(factors.map((f) => f.weightPercent)).toEqual([25, 25, 50]);
  });

  it('clamps out-of-range scores', () => {
    const { factors } = qualityBreakdown(
      { latency: 140, dropRate: -5, stability: Number.NaN },
      DEFAULT_WEIGHTS,
    );
    expect(factors.map((f) => f.score)).toEqual([100, 0, 0]);
  });
});
