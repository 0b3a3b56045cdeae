import type { GymMix } from '../lib/gym-mix.js';
import { Histogram, type HistogramJson } from '../lib/histogram.js';
import type { Desk } from './peer-desks.js';

export interface DriveSpec {
  /** Logical messages each desk keeps waiting for their ack. */
  windowPerDesk: number;
  warmupMs: number;
  durationMs: number;
  /** Offered messages per second over all desks; 0 = as fast as acks allow. */
  ratePerSec?: number;
  /** Only visits (check_in/check_out), as the fan-out writer sends. */
  visitsOnly?: boolean;
  /** How long to wait past the window for messages still in flight (default 10 s). */
  tailMs?: number;
  /** Called just before each send (the fan-out writer stamps its messages). */
  onSend?: (message: ReturnType<GymMix['next']>, atMs: number) => void;
}

export interface DriveResult {
  /** Messages sent over the whole run, warm-up and tail included. */
  sent: number;
  /** Of those, answered by an ack before the run ended (all of them unless the 10 s tail timed out). */
  answered: number;
  /** From the first send to the last answer. */
  totalMs: number;
  acked: number;
  accepted: number;
  elapsedMs: number;
  latency: HistogramJson;
}

/**
 * Drives desks "as fast as acks allow": each desk keeps `windowPerDesk` messages in flight and sends
 * the next one when an ack comes back. Counts only the measured window after the warm-up; stops
 * sending at the deadline and waits at most 10 s for the tail.
 */
export async function driveDesks(desks: Desk[], mixes: GymMix[], spec: DriveSpec): Promise<DriveResult> {
  const start = performance.now();
  const measureFrom = start + spec.warmupMs;
  const stopAt = measureFrom + spec.durationMs;
  const latency = new Histogram();
  let acked = 0;
  let accepted = 0;
  let sent = 0;
  let answered = 0;
  const intervalMs = spec.ratePerSec ? 1000 / spec.ratePerSec : 0;
  let nextSendAt = start;

  const sendOne = async (d: number): Promise<void> => {
    const mix = mixes[d]!;
    const message = spec.visitsOnly ? mix.visit() : mix.next();
    const t0 = performance.now();
    spec.onSend?.(message, t0);
    sent++;
    const ok = await desks[d]!.send(message);
    answered++;
    const t1 = performance.now();
    if (t1 >= measureFrom && t1 <= stopAt) {
      acked++;
      if (ok) accepted++;
      latency.record(t1 - t0);
    }
  };

  const lane = async (d: number): Promise<void> => {
    while (performance.now() < stopAt) {
      if (intervalMs > 0) {
        const now = performance.now();
        nextSendAt = Math.max(nextSendAt + intervalMs, now - 50);
        const waitMs = nextSendAt - now;
        if (waitMs > 1) await new Promise((r) => setTimeout(r, waitMs));
        if (performance.now() >= stopAt) return;
      }
      await sendOne(d);
    }
  };

  const lanes: Promise<void>[] = [];
  for (let d = 0; d < desks.length; d++) for (let w = 0; w < spec.windowPerDesk; w++) lanes.push(lane(d));
  await Promise.race([
    Promise.all(lanes),
    new Promise((r) => setTimeout(r, spec.warmupMs + spec.durationMs + (spec.tailMs ?? 10_000))),
  ]);
  return {
    sent,
    answered,
    totalMs: performance.now() - start,
    acked,
    accepted,
    elapsedMs: Math.min(performance.now(), stopAt) - measureFrom,
    latency: latency.toJSON(),
  };
}
