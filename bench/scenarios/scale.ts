import { execFileSync } from 'node:child_process';
import { rssMb } from '../lib/child.js';
import type { BenchContext } from '../lib/context.js';
import { startGenerator } from '../lib/generator-child.js';
import { sleep } from '../lib/parent.js';
import { progress } from '../lib/progress.js';
import { type ServerFamily, startTarget } from '../lib/target-server.js';

/** Issue 15: server RSS with this many idle, subscribed connections, av-gym beside raw ws and Socket.IO. */
export const SCALE_CONNECTIONS = 10_000;
export const scaleVariant = (family: string, n = SCALE_CONNECTIONS): string =>
  `${family} ${n.toLocaleString('en-US')} idle connections`;
/** The target: av-gym at 10,000 idle connections within this RSS. */
export const SCALE_TARGET_MB = 250;

/** Open files this shell lets a child have (`ulimit -n`); the server and the generator each need one per socket. */
function openFileLimit(): number {
  try {
    return Number(execFileSync('sh', ['-c', 'ulimit -n'], { encoding: 'utf8' }).trim()) || 0;
  } catch {
    return 0;
  }
}

async function hold(ctx: BenchContext, family: ServerFamily, count: number): Promise<void> {
  // the av-gym default MAX_CONNECTIONS is exactly 10,000 per node: room for the probe's sockets too
  const env = family === 'av-gym' ? { MAX_CONNECTIONS: String(count + 1_000) } : undefined;
  const server = await startTarget(ctx, family, `scale-${family}`, env);
  const generator = await startGenerator();
  try {
    const before = rssMb(server.pid) ?? 0;
    generator.send({
      type: 'hold',
      dashboards: { protocol: family, port: server.port, count, token: server.token, sampled: 0 },
    });
    await generator.next('holding', 300_000);
    await sleep(ctx.quick ? 1_000 : 3_000);
    const after = rssMb(server.pid) ?? 0;
    ctx.add({
      scenario: 'memory',
      variant: scaleVariant(family, count),
      serverRssMb: after,
      note: `idle, subscribed to every topic; ${before.toFixed(0)} MB before they connected, ${(((after - before) * 1024) / count).toFixed(1)} KB per connection`,
    });
    progress(`  ${family}: ${before.toFixed(0)} MB -> ${after.toFixed(0)} MB with ${count} connections`);
    generator.send({ type: 'release' });
    await generator.next('released', 60_000);
  } finally {
    await generator.stop();
    await server.child.stop();
  }
}

/**
 * `--only=scale` (not in the full run: 30,000 sockets opened and closed take minutes on 2 cores):
 * server RSS with 10,000 idle connections for raw ws, Socket.IO and av-gym, one server at a time.
 * Needs `ulimit -n` above 10,000 in the shell that runs the bench (each socket is a file in the
 * server and in the generator).
 */
export async function runScale(ctx: BenchContext): Promise<void> {
  const limit = openFileLimit();
  if (limit > 0 && limit < SCALE_CONNECTIONS + 1_000) {
    throw new Error(
      `ulimit -n is ${limit}: raise it past ${SCALE_CONNECTIONS + 1_000} (ulimit -n 20000) to hold ${SCALE_CONNECTIONS} connections`,
    );
  }
  progress(`scale: ${SCALE_CONNECTIONS} idle connections per server`);
  for (const family of ['raw-ws', 'socket.io', 'av-gym'] as const) await hold(ctx, family, SCALE_CONNECTIONS);
}
