import type { BenchContext } from '../lib/context.js';
import { startGenerator } from '../lib/generator-child.js';
import { Histogram } from '../lib/histogram.js';
import { progress } from '../lib/progress.js';
import { startTarget } from '../lib/target-server.js';
import type { LatencyResult } from '../load/latency-probe.js';

const DESKS = 20;
const RATE_PER_DESK = 250;

/**
 * Scenario 4: 20 desks, each a real MessageBatcher on its own socket sending the gym mix at
 * 250 msgs/s (5,000/s in all); the added delay of every high-priority message, enqueue to write.
 */
export async function runLatency(ctx: BenchContext): Promise<void> {
  progress(`latency: ${DESKS} desks x ${RATE_PER_DESK} msgs/s gym mix, high-priority added delay`);
  const server = await startTarget(ctx, 'av-gym', 'latency');
  const generator = await startGenerator();
  try {
    generator.send({
      type: 'latency',
      port: server.port,
      token: server.token,
      desks: DESKS,
      ratePerDesk: RATE_PER_DESK,
      warmupMs: ctx.warmupMs,
      durationMs: ctx.durationMs,
      memberIds: server.memberIds,
    });
    const r = await generator.next<LatencyResult & { type: string }>(
      'result',
      ctx.warmupMs + ctx.durationMs + 60_000,
    );
    const added = Histogram.fromJSON(r.added);
    ctx.add({
      scenario: 'latency',
      variant: 'av-gym high priority under load',
      msgsPerSec: r.messages / (r.elapsedMs / 1000),
      p50Ms: added.percentile(50),
      p99Ms: added.percentile(99),
      note: `enqueue to socket write; ${(r.messages / Math.max(1, r.frames)).toFixed(1)} messages per frame`,
    });
    progress(
      `  added delay p50 ${added.percentile(50).toFixed(2)} ms, p99 ${added.percentile(99).toFixed(2)} ms ` +
        `(${added.count} high-priority messages, ${Math.round(r.messages / (r.elapsedMs / 1000))} msgs/s)`,
    );
  } finally {
    await generator.stop();
    await server.child.stop();
  }
}
