import { rssMb } from '../lib/child.js';
import type { BenchContext } from '../lib/context.js';
import { startGenerator } from '../lib/generator-child.js';
import { sleep } from '../lib/parent.js';
import { progress } from '../lib/progress.js';
import { RssSampler } from '../lib/rss-sampler.js';
import { type ServerFamily, startTarget } from '../lib/target-server.js';
import { runClientHeap } from './client-heap.js';

const CONNECTIONS = 2_000;
const SLOW_READERS = 50;
const SLOW_READER_WRITERS = 4;

/** Server RSS with 2,000 subscribed, idle connections (after they settle). */
async function idleConnections(ctx: BenchContext, family: ServerFamily): Promise<void> {
  const server = await startTarget(ctx, family, `memory-idle-${family}`);
  const generator = await startGenerator();
  try {
    const before = rssMb(server.pid) ?? 0;
    generator.send({
      type: 'hold',
      dashboards: {
        protocol: family,
        port: server.port,
        count: CONNECTIONS,
        token: server.token,
        sampled: 0,
      },
    });
    await generator.next('holding', 120_000);
    await sleep(ctx.quick ? 500 : 3_000);
    const after = rssMb(server.pid) ?? 0;
    ctx.add({
      scenario: 'memory',
      variant: `${family} ${CONNECTIONS} connections`,
      serverRssMb: after,
      note: `idle, subscribed to every topic; ${before.toFixed(0)} MB before they connected`,
    });
    progress(
      `  ${family}: ${before.toFixed(0)} MB -> ${after.toFixed(0)} MB with ${CONNECTIONS} connections`,
    );
    generator.send({ type: 'release' });
    await generator.next('released', 30_000);
  } finally {
    await generator.stop();
    await server.child.stop();
  }
}

/**
 * Server RSS peak while 50 subscribers never read and 4 desks write the gym mix flat out (a light
 * write load, so the RSS the slow readers cause is not hidden under the ingest's own buffers).
 */
async function slowReaders(ctx: BenchContext, neverRead: boolean): Promise<void> {
  const what = neverRead ? 'slow readers' : 'readers (control: they read)';
  const server = await startTarget(ctx, 'av-gym', 'memory-slow');
  const generator = await startGenerator();
  const rss = new RssSampler(server.pid, 50);
  try {
    generator.send({
      type: 'hold',
      dashboards: {
        protocol: 'av-gym',
        port: server.port,
        count: SLOW_READERS,
        token: server.token,
        sampled: 0,
        neverRead,
      },
    });
    await generator.next('holding', 60_000);
    const before = rssMb(server.pid) ?? 0;
    rss.mark();
    generator.send({
      type: 'ingest',
      variant: 'av-gym',
      port: server.port,
      token: server.token,
      desks: SLOW_READER_WRITERS,
      windowPerDesk: 64,
      warmupMs: 0,
      durationMs: ctx.quick ? 3_000 : 15_000,
      memberIds: server.memberIds,
    });
    const r = await generator.next<{ type: string; acked: number; elapsedMs: number }>('result', 120_000);
    const peak = rss.peak();
    generator.send({ type: 'release' });
    const { closedByServer } = await generator.next<{ type: string; closedByServer: number }>(
      'released',
      30_000,
    );
    ctx.add({
      scenario: 'memory',
      variant: `av-gym ${SLOW_READERS} ${what}`,
      serverRssMb: peak,
      msgsPerSec: r.acked / (r.elapsedMs / 1000),
      note: `peak RSS while ${SLOW_READER_WRITERS} desks ingest flat out (${before.toFixed(0)} MB before); ${closedByServer} of ${SLOW_READERS} closed by the server`,
    });
    progress(`  ${what}: peak ${peak.toFixed(0)} MB, ${closedByServer}/${SLOW_READERS} closed by the server`);
  } finally {
    rss.stop();
    await generator.stop();
    await server.child.stop();
  }
}

/** Scenario 5, memory: server RSS with 2,000 connections and with 50 slow readers; client heap. */
export async function runMemory(ctx: BenchContext): Promise<void> {
  progress(`memory: ${CONNECTIONS} idle connections per server`);
  for (const family of ['raw-ws', 'socket.io', 'av-gym'] as const) await idleConnections(ctx, family);
  progress(`memory: ${SLOW_READERS} slow readers that never read`);
  await slowReaders(ctx, true);
  await slowReaders(ctx, false);
  progress('memory: client heap over 1,000,000 messages');
  await runClientHeap(ctx);
}
