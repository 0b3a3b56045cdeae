import type { BenchContext } from '../lib/context.js';
import { startGenerator } from '../lib/generator-child.js';
import { progress } from '../lib/progress.js';
import { startPeer } from '../lib/servers.js';
import type { ClientHeapResult } from '../load/client-heap-probe.js';

/** Variant names of the two client heap rows (targets.ts compares them). */
export const HEAP_START = 'av-gym client heap after warm-up';
export const HEAP_END = 'av-gym client heap at the end';

/**
 * Client heap over 1,000,000 messages (100,000 in a quick run): a real WebSocketService against an
 * ack-only server, heap after full GC sampled along the way; flat means the end is within 5% of
 * the first sample after warm-up.
 */
export async function runClientHeap(ctx: BenchContext): Promise<void> {
  const messages = ctx.quick ? 100_000 : 1_000_000;
  const warmupMessages = messages / 10;
  progress(`  client heap: ${messages.toLocaleString('en-US')} messages through one WebSocketService`);
  const server = await startPeer('ack', ctx.freshDir('ack'), 0);
  const generator = await startGenerator();
  try {
    generator.send({ type: 'client-heap', port: server.port, messages, warmupMessages, window: 150 });
    const r = await generator.next<ClientHeapResult & { type: string }>('result', 300_000);
    const [first, last] = [r.samples[0], r.samples[r.samples.length - 1]];
    if (!first || !last) throw new Error('no heap samples');
    const trend = r.samples.map(([, mb]) => mb.toFixed(1)).join(', ');
    const msgsPerSec = last[0] / (r.elapsedMs / 1000);
    ctx.add({
      scenario: 'memory',
      variant: HEAP_START,
      clientHeapMb: first[1],
      note: `after ${first[0].toLocaleString('en-US')} messages`,
    });
    ctx.add({
      scenario: 'memory',
      variant: HEAP_END,
      clientHeapMb: last[1],
      msgsPerSec,
      note: `after ${last[0].toLocaleString('en-US')} messages; heap MB along the way: ${trend}`,
    });
    progress(`  client heap: ${trend} MB (${Math.round(msgsPerSec)} msgs/s)`);
  } finally {
    await generator.stop();
    await server.child.stop();
  }
}
