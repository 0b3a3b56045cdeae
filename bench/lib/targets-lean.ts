import { SCALE_TARGET_MB, scaleVariant } from '../scenarios/scale.js';
import type { BenchResult } from './result.js';
import type { TargetCheck } from './targets.js';

/** Issue 15 part A's targets (the way back and memory per connection), from the rows of one run. */

/** The wire row of the raw-ws peer, the round trip the target is measured against. */
export const WIRE_RAW_WS = 'raw-ws json';
export const ROUND_TRIP_SAVING = 0.7;

const find = (results: BenchResult[], scenario: string, variant: string) =>
  results.find((r) => r.scenario === scenario && r.variant === variant);

const fmt = (v: number | undefined, digits = 0): string =>
  v === undefined ? 'n/a' : v.toLocaleString('en-US', { maximumFractionDigits: digits });

const check = (
  target: string,
  measured: string,
  value: number | undefined,
  ok: (v: number) => boolean,
): TargetCheck => ({ target, measured, holds: value === undefined ? undefined : ok(value) });

export function leanTargets(results: BenchResult[]): TargetCheck[] {
  const raw = find(results, 'wire', WIRE_RAW_WS);
  // what the project offers decides it: the measured av-gym batched rows, not the computed one
  const ours = results
    .filter(
      (r) =>
        r.scenario === 'wire' &&
        r.variant.startsWith('av-gym batched') &&
        !r.variant.includes('(computed)') &&
        r.roundTripBytesPerMsg !== undefined,
    )
    .sort((a, b) => (a.roundTripBytesPerMsg ?? 0) - (b.roundTripBytesPerMsg ?? 0))[0];
  const saving =
    raw?.roundTripBytesPerMsg && ours?.roundTripBytesPerMsg !== undefined
      ? 1 - ours.roundTripBytesPerMsg / raw.roundTripBytesPerMsg
      : undefined;
  const idle = find(results, 'memory', 'av-gym 2000 connections');
  const idleIo = find(results, 'memory', 'socket.io 2000 connections');
  const idleRaw = find(results, 'memory', 'raw-ws 2000 connections');
  const overIo =
    idle?.serverRssMb === undefined || idleIo?.serverRssMb === undefined
      ? undefined
      : idle.serverRssMb - idleIo.serverRssMb;
  const scale = find(results, 'memory', scaleVariant('av-gym'));
  const scaleIo = find(results, 'memory', scaleVariant('socket.io'));
  const scaleRaw = find(results, 'memory', scaleVariant('raw-ws'));
  return [
    check(
      'round trip (issue 15): bytes per message, up + down, >= 70% below the raw-ws peer',
      `${fmt(saving === undefined ? undefined : saving * 100, 1)}% (${ours?.variant ?? 'n/a'}: ${fmt(ours?.bytesPerMsg, 1)} up + ${fmt(ours?.downBytesPerMsg, 1)} down = ${fmt(ours?.roundTripBytesPerMsg, 1)} B vs raw ws ${fmt(raw?.roundTripBytesPerMsg, 1)} B)`,
      saving,
      (v) => v >= ROUND_TRIP_SAVING,
    ),
    check(
      "memory (issue 15): server RSS with 2,000 idle connections <= Socket.IO's, same run",
      `${fmt(idle?.serverRssMb, 1)} MB vs Socket.IO ${fmt(idleIo?.serverRssMb, 1)} MB (raw ws ${fmt(idleRaw?.serverRssMb, 1)} MB)`,
      overIo,
      (v) => v <= 0,
    ),
    check(
      `memory (issue 15): server RSS with 10,000 idle connections <= ${SCALE_TARGET_MB} MB (--only=scale)`,
      `${fmt(scale?.serverRssMb, 1)} MB (Socket.IO ${fmt(scaleIo?.serverRssMb, 1)} MB, raw ws ${fmt(scaleRaw?.serverRssMb, 1)} MB)`,
      scale?.serverRssMb,
      (v) => v <= SCALE_TARGET_MB,
    ),
  ];
}
