import type { BenchContext } from '../lib/context.js';
import { progress } from '../lib/progress.js';

/** Client heap over 1,000,000 messages: runs bench/client-heap.ts (the client's own harness). */
export async function runClientHeap(_ctx: BenchContext): Promise<void> {
  progress('  client heap: not yet');
}
