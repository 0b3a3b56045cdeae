import { describe, expect, it } from 'vitest';
import { scaleVariant } from '../scenarios/scale.js';
import type { BenchResult } from './result.js';
import { leanTargets } from './targets-lean.js';

const wire = (variant: string, up: number, down: number): BenchResult => ({
  scenario: 'wire',
  variant,
  bytesPerMsg: up,
  downBytesPerMsg: down,
  roundTripBytesPerMsg: up + down,
});

describe('issue 15 part A targets', () => {
  it('judges the round trip on the best measured av-gym batched row against raw ws, never the computed one', () => {
    const results = [
      wire('raw-ws json', 124, 60),
      wire('av-gym batched json', 133, 14),
      wire('av-gym batched deflate-raw', 29.5, 14),
      wire('av-gym batched + deflate-raw (computed)', 1, 1),
    ];
    const [roundTrip] = leanTargets(results);
    expect(roundTrip?.holds).toBe(true);
    expect(roundTrip?.measured).toContain(
      'av-gym batched deflate-raw: 29.5 up + 14 down = 43.5 B vs raw ws 184 B',
    );
    const [fat] = leanTargets([wire('raw-ws json', 124, 60), wire('av-gym batched deflate-raw', 29.5, 99)]);
    expect(fat?.holds).toBe(false);
    expect(leanTargets([])[0]?.holds).toBeUndefined();
  });

  it('holds memory to Socket.IO at 2,000 in the same run and to 250 MB at 10,000', () => {
    const mem = (variant: string, serverRssMb: number): BenchResult => ({
      scenario: 'memory',
      variant,
      serverRssMb,
    });
    const [, idle, scale] = leanTargets([
      mem('av-gym 2000 connections', 120),
      mem('socket.io 2000 connections', 114),
      mem(scaleVariant('av-gym'), 249),
    ]);
    expect(idle?.holds).toBe(false);
    expect(scale?.holds).toBe(true);
    expect(
      leanTargets([mem('av-gym 2000 connections', 110), mem('socket.io 2000 connections', 114)])[1]?.holds,
    ).toBe(true);
  });
});
