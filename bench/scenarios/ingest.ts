import type { BenchContext } from '../lib/context.js';
import { progress } from '../lib/progress.js';
import { INGEST_DESKS, type IngestRun, ingestOnce, WINDOW_PER_DESK } from './ingest-once.js';

const RUNS: IngestRun[] = [
  { variant: 'raw-ws', family: 'raw-ws', label: 'ingest-raw-ws' },
  { variant: 'socket.io', family: 'socket.io', label: 'ingest-socket-io' },
  { variant: 'av-gym-unbatched', family: 'av-gym', label: 'ingest-av-gym-unbatched' },
  { variant: 'av-gym', family: 'av-gym', label: 'ingest-av-gym' },
];

/**
 * Scenario 1, ingest: 100 desks send the gym mix as fast as acks allow; a message counts when its
 * ack (sent after the durable write) arrives inside the measured window.
 */
export async function runIngest(ctx: BenchContext): Promise<void> {
  for (const run of RUNS) {
    progress(`ingest ${run.variant}: ${INGEST_DESKS} desks x ${WINDOW_PER_DESK} in flight`);
    const f = await ingestOnce(ctx, run);
    ctx.add({
      scenario: 'ingest',
      variant: run.variant,
      msgsPerSec: f.ackedPerSec,
      acceptedPerSec: f.acceptedPerSec,
      p50Ms: f.p50Ms,
      p99Ms: f.p99Ms,
      serverRssMb: f.serverRssMb,
      note:
        run.family === 'av-gym'
          ? `client defaults; ${f.binaryFrames ?? 0} compressed frames in the run`
          : undefined,
    });
    progress(
      `  ${run.variant}: ${Math.round(f.ackedPerSec)} acked/s, ${Math.round(f.acceptedPerSec)} accepted/s, ` +
        `p50 ${f.p50Ms.toFixed(1)} ms, p99 ${f.p99Ms.toFixed(1)} ms, server ${f.serverRssMb.toFixed(0)} MB`,
    );
  }
}
