import type { BenchContext } from '../lib/context.js';
import { startGenerator } from '../lib/generator-child.js';
import { Histogram } from '../lib/histogram.js';
import { type BenchDatabase, createBenchDatabase, pgAvailable } from '../lib/pg-db.js';
import { progress } from '../lib/progress.js';
import { RssSampler } from '../lib/rss-sampler.js';
import { type ServerFamily, startTarget } from '../lib/target-server.js';
import { STEADY_DESKS, STEADY_IO, STEADY_PG, STEADY_RATE, STEADY_SQLITE } from '../lib/targets-durable.js';
import type { SteadyResult } from '../load/steady.js';

interface SteadyRun {
  variant: string;
  family: ServerFamily;
  postgres?: boolean;
  fullOnly?: boolean;
}

const RUNS: SteadyRun[] = [
  { variant: STEADY_SQLITE, family: 'av-gym' },
  { variant: STEADY_PG, family: 'av-gym', postgres: true },
  // Full runs only: at this load Socket.IO falls behind and its 10 s tail would take a quick run's time.
  { variant: STEADY_IO, family: 'socket.io', fullOnly: true },
];

/**
 * Issue 15, ack latency at a steady load (not saturation): 100 real desks send the gym mix at
 * 5,000 msgs/s in all on a fixed schedule (open loop); each ack's latency counts from the
 * message's scheduled send time. av-gym on SQLite (synchronous=FULL) and on PostgreSQL (a fresh
 * database), Socket.IO (SQLite, synchronous=FULL, a commit per message) at the same load (not in
 * --quick).
 */
export async function runSteady(ctx: BenchContext): Promise<void> {
  const pg = await pgAvailable();
  for (const run of RUNS) {
    if (run.fullOnly && ctx.quick) continue;
    if (run.postgres && !pg) {
      progress(`steady ${run.variant}: no PostgreSQL server; skipped`);
      continue;
    }
    progress(`steady ${run.variant}: open loop, latency from the scheduled send`);
    let db: BenchDatabase | undefined;
    try {
      db = run.postgres ? await createBenchDatabase('steady') : undefined;
      const server = await startTarget(
        ctx,
        run.family,
        `steady-${run.family}${run.postgres ? '-pg' : ''}`,
        db ? { DATABASE_URL: db.url } : undefined,
      );
      const generator = await startGenerator();
      const rss = new RssSampler(server.pid);
      try {
        generator.send({
          type: 'steady',
          variant: run.family === 'av-gym' ? 'av-gym' : run.family,
          port: server.port,
          token: server.token,
          desks: STEADY_DESKS,
          ratePerSec: STEADY_RATE,
          warmupMs: ctx.warmupMs,
          durationMs: ctx.durationMs,
          memberIds: server.memberIds,
        });
        const r = await generator.next<SteadyResult & { type: string }>(
          'result',
          ctx.warmupMs + ctx.durationMs + 60_000,
        );
        const latency = Histogram.fromJSON(r.latency);
        const high = Histogram.fromJSON(r.highLatency);
        const rest = Histogram.fromJSON(r.restLatency);
        const split =
          `check_in/check_out (high priority) p50 ${high.percentile(50).toFixed(1)} / p99 ${high.percentile(99).toFixed(1)} ms, ` +
          `member_update/client_stats (batch window) p50 ${rest.percentile(50).toFixed(1)} / p99 ${rest.percentile(99).toFixed(1)} ms`;
        ctx.add({
          scenario: 'latency',
          variant: run.variant,
          msgsPerSec: r.acked / (r.elapsedMs / 1000),
          p50Ms: latency.percentile(50),
          p99Ms: latency.percentile(99),
          maxMs: latency.percentile(100),
          serverRssMb: rss.peak(),
          note:
            `ack latency from the scheduled send, all messages; ${split}; ${r.scheduled} scheduled in the window, ${r.acked} acked ` +
            `(${r.rejected} rejected), ${r.unanswered + r.skipped} unanswered; sender lag at worst ${r.maxSendLagMs.toFixed(1)} ms`,
        });
        progress(
          `  ${run.variant}: p50 ${latency.percentile(50).toFixed(2)} ms, p99 ${latency.percentile(99).toFixed(2)} ms, ` +
            `max ${latency.percentile(100).toFixed(1)} ms, ${r.acked}/${r.scheduled} acked, sender lag ${r.maxSendLagMs.toFixed(1)} ms; ${split}`,
        );
      } finally {
        rss.stop();
        await generator.stop();
        await server.child.stop();
      }
    } finally {
      await db?.drop();
    }
  }
}
