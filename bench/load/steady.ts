import { GymMix, membersOfDesk } from '../lib/gym-mix.js';
import { Histogram, type HistogramJson } from '../lib/histogram.js';
import { type DeskVariant, openDesks } from './open-desk.js';

export interface SteadyJob {
  type: 'steady';
  variant: DeskVariant;
  port: number;
  token?: string;
  desks: number;
  /** Offered messages per second over all desks, on a fixed schedule (open loop). */
  ratePerSec: number;
  warmupMs: number;
  durationMs: number;
  memberIds: string[];
}

export interface SteadyResult {
  /** Ack latency from each message's scheduled send time (not its actual one). */
  latency: HistogramJson;
  /** The same for the high-priority part (check_in, check_out: 70% of the mix), which the client sends at once. */
  highLatency: HistogramJson;
  /** The same for the medium/low rest (member_update, client_stats), which waits for the client's batch window. */
  restLatency: HistogramJson;
  /** Messages scheduled inside the measured window, and of those acked. */
  scheduled: number;
  acked: number;
  /** Acks that said not ok (rejections), inside the window. */
  rejected: number;
  /** Schedule slots not sent because the in-flight bound was reached (they count as unanswered). */
  skipped: number;
  /** Messages still unanswered when the run ended. */
  unanswered: number;
  elapsedMs: number;
  /** How late the sender got behind its schedule at worst (the generator's own lag). */
  maxSendLagMs: number;
}

/** The generator's bound on messages in flight: past it, slots are skipped and counted, not queued. */
const MAX_IN_FLIGHT = 50_000;
const TICK_MS = 1;

/**
 * Open-loop load at a fixed rate: message k is due at start + k / rate, from desk k mod desks, sent
 * when due whatever the acks of earlier ones; its latency is measured from that due time, so a
 * stalled server or a late sender cannot hide a delay (no coordinated omission). Desks are the
 * real clients of `variant`; the gym mix as in the ingest scenario.
 */
export async function runSteady(job: SteadyJob): Promise<SteadyResult> {
  const desks = await openDesks(job.variant, job.port, job.desks, job.token);
  const mixes = desks.map((_, d) => new GymMix(`desk-${d}`, membersOfDesk(job.memberIds, job.desks, d)));
  const latency = new Histogram();
  const highLatency = new Histogram();
  const restLatency = new Histogram();
  const start = performance.now();
  const measureFrom = start + job.warmupMs;
  const stopAt = measureFrom + job.durationMs;
  const intervalMs = 1000 / job.ratePerSec;
  let next = 0;
  let inFlight = 0;
  let scheduled = 0;
  let acked = 0;
  let rejected = 0;
  let skipped = 0;
  let maxSendLagMs = 0;
  let settle: (() => void) | undefined;

  const sendDue = () => {
    const now = performance.now();
    while (start + next * intervalMs <= now) {
      const dueAt = start + next * intervalMs;
      const d = next % desks.length;
      next++;
      if (dueAt >= stopAt) return true;
      const counted = dueAt >= measureFrom;
      if (counted) scheduled++;
      maxSendLagMs = Math.max(maxSendLagMs, now - dueAt);
      if (inFlight >= MAX_IN_FLIGHT) {
        if (counted) skipped++;
        continue;
      }
      inFlight++;
      const message = mixes[d]!.next();
      const high = message.type === 'check_in' || message.type === 'check_out';
      void desks[d]!.send(message).then(
        (ok) => {
          inFlight--;
          if (counted) {
            acked++;
            if (!ok) rejected++;
            const ms = performance.now() - dueAt;
            latency.record(ms);
            (high ? highLatency : restLatency).record(ms);
          }
          if (inFlight === 0) settle?.();
        },
        () => {
          inFlight--;
          if (inFlight === 0) settle?.();
        },
      );
    }
    return false;
  };

  await new Promise<void>((resolve) => {
    const tick = () => {
      if (sendDue()) resolve();
      else setTimeout(tick, TICK_MS);
    };
    tick();
  });
  // The tail: wait (at most 10 s) for the acks of what was sent.
  if (inFlight > 0)
    await Promise.race([
      new Promise<void>((r) => {
        settle = r;
      }),
      new Promise((r) => setTimeout(r, 10_000)),
    ]);
  for (const d of desks) d.close();
  return {
    latency: latency.toJSON(),
    highLatency: highLatency.toJSON(),
    restLatency: restLatency.toJSON(),
    scheduled,
    acked,
    rejected,
    skipped,
    unanswered: scheduled - acked - skipped,
    elapsedMs: stopAt - measureFrom,
    maxSendLagMs,
  };
}
