import type { BenchContext } from '../lib/context.js';
import { startGenerator } from '../lib/generator-child.js';
import { Histogram, type HistogramJson } from '../lib/histogram.js';
import { progress } from '../lib/progress.js';
import { RssSampler } from '../lib/rss-sampler.js';
import { type ServerFamily, startTarget } from '../lib/target-server.js';
import type { FanoutPhase } from '../load/generator.js';

const FAMILIES: ServerFamily[] = ['raw-ws', 'socket.io', 'av-gym'];
/** The fixed offered rate of the issue's latency target. */
export const FIXED_EVENTS_PER_SEC = 400;
const PHASES: FanoutPhase[] = [
  { dashboards: 500, ratePerSec: FIXED_EVENTS_PER_SEC },
  { dashboards: 500, ratePerSec: 0 },
  { dashboards: 2000, ratePerSec: FIXED_EVENTS_PER_SEC },
  { dashboards: 2000, ratePerSec: 0 },
];
/** Dashboards that parse every frame for latency; the rest count deliveries with a byte scan. */
const SAMPLED_DASHBOARDS = 50;
const WRITER_WINDOW = 128;

/** The variant name of a fan-out row. */
export const fanoutVariant = (family: string, p: FanoutPhase): string =>
  `${family} ${p.dashboards} dashboards, ${p.ratePerSec ? `${p.ratePerSec} events/s` : 'saturation'}`;

interface PhaseResult {
  type: string;
  phase: number;
  acked: number;
  elapsedMs: number;
  deliveries: number;
  deliveryLatency: HistogramJson;
  closedByServer: number;
}

/**
 * Scenario 2, fan-out: one writer checks members in and out; 500 then 2,000 dashboards subscribed
 * to every topic receive the visit events. At 400 events/s and at saturation (writer as fast as its
 * acks allow); deliveries/s and writer-send-to-dashboard latency.
 */
export async function runFanout(ctx: BenchContext): Promise<void> {
  for (const family of FAMILIES) {
    progress(`fanout ${family}: ${PHASES.map((p) => fanoutVariant('', p).trim()).join(' | ')}`);
    const server = await startTarget(ctx, family, `fanout-${family}`);
    const generator = await startGenerator();
    const rss = new RssSampler(server.pid);
    try {
      generator.send({
        type: 'fanout',
        dashboards: {
          protocol: family,
          port: server.port,
          count: 0,
          token: server.token,
          sampled: SAMPLED_DASHBOARDS,
        },
        writer: family,
        phases: PHASES,
        windowPerDesk: WRITER_WINDOW,
        warmupMs: ctx.warmupMs,
        durationMs: ctx.durationMs,
        memberIds: server.memberIds,
      });
      for (const [i, phase] of PHASES.entries()) {
        await generator.next('phase-start', 120_000);
        rss.mark();
        const r = await generator.next<PhaseResult>('phase-result', ctx.warmupMs + ctx.durationMs + 60_000);
        if (r.phase !== i) throw new Error(`fan-out phase ${r.phase} answered for ${i}`);
        const latency = Histogram.fromJSON(r.deliveryLatency);
        const seconds = ctx.durationMs / 1000;
        const variant = fanoutVariant(family, phase);
        ctx.add({
          scenario: 'fanout',
          variant,
          msgsPerSec: r.deliveries / seconds,
          p50Ms: latency.percentile(50),
          p99Ms: latency.percentile(99),
          serverRssMb: rss.peak(),
          note: `deliveries/s; writer ${Math.round(r.acked / (r.elapsedMs / 1000))} events/s acked; ${r.closedByServer} dashboards closed by the server`,
        });
        progress(
          `  ${variant}: ${Math.round(r.deliveries / seconds)} deliveries/s, writer ${Math.round(r.acked / (r.elapsedMs / 1000))}/s, ` +
            `p50 ${latency.percentile(50).toFixed(1)} ms, p99 ${latency.percentile(99).toFixed(1)} ms (${latency.count} samples)`,
        );
      }
      await generator.next('result', 30_000);
    } finally {
      rss.stop();
      await generator.stop();
      await server.child.stop();
    }
  }
}
