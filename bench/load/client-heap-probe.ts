import { GymMix } from '../lib/gym-mix.js';
import { AvGymDesk } from './av-gym-desk.js';

export interface ClientHeapJob {
  type: 'client-heap';
  port: number;
  messages: number;
  /** Heap is first taken after this many messages (allocations of warm-up and JIT settled). */
  warmupMessages: number;
  /** Messages the desk keeps waiting for an ack. */
  window: number;
}

export interface ClientHeapResult {
  /** [messages sent, heap used MB after a full GC] at each checkpoint. */
  samples: [number, number][];
  elapsedMs: number;
}

const gc = (globalThis as { gc?: () => void }).gc;

function heapMbAfterGc(): number {
  gc?.();
  gc?.();
  return process.memoryUsage().heapUsed / (1024 * 1024);
}

/**
 * Client heap over many messages: one real WebSocketService (batching on) sends the gym mix to an
 * ack-only server; the heap after a full GC is sampled every tenth of the run. Needs `--expose-gc`.
 */
export async function runClientHeapProbe(job: ClientHeapJob): Promise<ClientHeapResult> {
  if (!gc) throw new Error('client-heap needs node --expose-gc');
  const desk = await AvGymDesk.open({
    port: job.port,
    clientId: 'heap-desk',
    token: 'x'.repeat(16),
    batched: true,
  });
  const mix = new GymMix(
    'heap-desk',
    Array.from({ length: 50 }, (_, i) => `m_${i}`),
  );
  const step = Math.max(1, Math.floor((job.messages - job.warmupMessages) / 10));
  const samples: [number, number][] = [];
  let sent = 0;
  let nextSample = job.warmupMessages;
  const start = performance.now();
  const lane = async (): Promise<void> => {
    while (sent < job.messages) {
      sent++;
      await desk.send(mix.next());
    }
  };
  const sampler = (async () => {
    while (sent < job.messages) {
      if (sent >= nextSample) {
        samples.push([sent, heapMbAfterGc()]);
        nextSample += step;
      }
      await new Promise((r) => setTimeout(r, 20));
    }
  })();
  await Promise.all([...Array.from({ length: job.window }, lane), sampler]);
  samples.push([sent, heapMbAfterGc()]);
  desk.close();
  return { samples, elapsedMs: performance.now() - start };
}
