import { createClient } from 'redis';
import { benchPath, Child } from '../lib/child.js';
import type { BenchContext } from '../lib/context.js';
import { Histogram, type HistogramJson } from '../lib/histogram.js';
import { type BenchDatabase, createBenchDatabase, pgAvailable } from '../lib/pg-db.js';
import { progress } from '../lib/progress.js';
import { RssSampler } from '../lib/rss-sampler.js';
import { avGymMemberIds, BENCH_TOKEN, type RunningServer, startAvGym } from '../lib/servers.js';
import { crossVariant, singlePgVariant, singleVariant } from '../lib/targets-durable.js';
import type { CrossNodeJob } from '../load/crossnode-child.js';
import { FIXED_EVENTS_PER_SEC } from './fanout.js';

/** The Redis the nodes share: `BENCH_REDIS_URL`, else this machine's. */
const REDIS_URL = process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379';
const SAMPLED = 50;
const WRITER_WINDOW = 128;

interface PhaseResult {
  acked: number;
  elapsedMs: number;
  deliveries: number;
  deliveryLatency: HistogramJson;
  closedByServer: number;
}

async function redisAvailable(): Promise<boolean> {
  const client = createClient({
    url: REDIS_URL,
    socket: { reconnectStrategy: false, connectTimeout: 2_000 },
  });
  client.on('error', () => {});
  try {
    await client.connect();
    await client.ping();
    return true;
  } catch {
    return false;
  } finally {
    await client.close().catch(() => {});
  }
}

async function deleteKey(key: string): Promise<void> {
  const client = createClient({ url: REDIS_URL });
  client.on('error', () => {});
  try {
    await client.connect();
    await client.del(key);
  } finally {
    await client.close().catch(() => {});
  }
}

/** One phase: dashboards on `dashboardsOn`, the writer on `writerOn`, in a child of its own. */
async function phase(
  ctx: BenchContext,
  variant: string,
  dashboards: number,
  dashboardsOn: RunningServer,
  writerOn: RunningServer,
  memberIds: string[],
  note: string,
): Promise<void> {
  const child = new Child(benchPath('load/crossnode-child.ts'), { execArgv: ['--max-old-space-size=2048'] });
  const rss = new RssSampler(dashboardsOn.pid);
  try {
    await child.next('ready', 30_000);
    const job: CrossNodeJob = {
      type: 'cross-node',
      dashboardsPort: dashboardsOn.port,
      writerPort: writerOn.port,
      token: BENCH_TOKEN,
      dashboards,
      sampled: SAMPLED,
      ratePerSec: FIXED_EVENTS_PER_SEC,
      windowPerDesk: WRITER_WINDOW,
      warmupMs: ctx.warmupMs,
      durationMs: ctx.durationMs,
      memberIds,
    };
    child.send({ ...job });
    await child.next('phase-start', 120_000);
    rss.mark();
    const r = await child.next<PhaseResult & { type: string }>(
      'result',
      ctx.warmupMs + ctx.durationMs + 60_000,
    );
    const latency = Histogram.fromJSON(r.deliveryLatency);
    const seconds = ctx.durationMs / 1000;
    const writerRate = Math.round(r.acked / (r.elapsedMs / 1000));
    ctx.add({
      scenario: 'fanout',
      variant,
      msgsPerSec: r.deliveries / seconds,
      p50Ms: latency.percentile(50),
      p99Ms: latency.percentile(99),
      serverRssMb: rss.peak(),
      note: `deliveries/s; ${note}; writer ${writerRate} events/s acked; ${r.closedByServer} dashboards closed by the server`,
    });
    progress(
      `  ${variant}: ${Math.round(r.deliveries / seconds)} deliveries/s, writer ${writerRate}/s, ` +
        `p50 ${latency.percentile(50).toFixed(1)} ms, p99 ${latency.percentile(99).toFixed(1)} ms (${latency.count} samples)`,
    );
  } finally {
    rss.stop();
    await child.stop();
  }
}

/**
 * Issue 15, cross-node fan-out: two av-gym nodes on one PostgreSQL database (fresh) and Redis, the
 * writer on node 1, the dashboards on node 2, at the fan-out scenario's 400 events/s; the single
 * node (SQLite, in-process broker: the fan-out scenario's setup) measured just before in the same
 * run, with the same dashboards, rate and windows; and node 1 alone on PostgreSQL + Redis (what the
 * store and the broker cost before a second node). 2,000 dashboards (500 with --quick).
 */
export async function runCrossNode(ctx: BenchContext): Promise<void> {
  const dashboards = ctx.quick ? 500 : 2000;
  if (!(await pgAvailable()) || !(await redisAvailable())) {
    progress(`crossnode: PostgreSQL or Redis (${REDIS_URL}) does not answer; skipped`);
    return;
  }
  progress(`crossnode single node (reference): ${dashboards} dashboards, ${FIXED_EVENTS_PER_SEC} events/s`);
  const single = await startAvGym(ctx.freshDir('crossnode-single'));
  try {
    const members = await avGymMemberIds(single.port);
    await phase(
      ctx,
      singleVariant(dashboards, FIXED_EVENTS_PER_SEC),
      dashboards,
      single,
      single,
      members,
      'one node, SQLite, in-process broker',
    );
  } finally {
    await single.child.stop();
  }

  let db: BenchDatabase | undefined;
  let streamKey: string | undefined;
  const nodes: RunningServer[] = [];
  try {
    db = await createBenchDatabase('crossnode');
    streamKey = `av-gym-bench:${db.name}`;
    const env = { DATABASE_URL: db.url, REDIS_URL, REDIS_STREAM: streamKey };
    progress(`crossnode: two nodes on ${db.name} and ${REDIS_URL} (stream ${streamKey})`);
    // One after the other: the first migrates and seeds, the second finds it done.
    nodes.push(await startAvGym(ctx.freshDir('crossnode-node1'), undefined, { env }));
    nodes.push(await startAvGym(ctx.freshDir('crossnode-node2'), undefined, { env }));
    const members = await avGymMemberIds(nodes[0]!.port);
    // Node 1 alone first (writer and dashboards on it): the store's and the broker's share of the
    // delay, so the cross-node row shows what the second node adds.
    await phase(
      ctx,
      singlePgVariant(dashboards, FIXED_EVENTS_PER_SEC),
      dashboards,
      nodes[0]!,
      nodes[0]!,
      members,
      'writer and dashboards on node 1 of the pair, PostgreSQL + Redis',
    );
    await phase(
      ctx,
      crossVariant(dashboards, FIXED_EVENTS_PER_SEC),
      dashboards,
      nodes[1]!,
      nodes[0]!,
      members,
      'writer on node 1, dashboards on node 2, PostgreSQL + Redis; server RSS is node 2',
    );
  } finally {
    for (const node of nodes) await node.child.stop();
    await db?.drop();
    if (streamKey) await deleteKey(streamKey).catch(() => {});
  }
}
