import type { BenchContext } from '../lib/context.js';
import { progress } from '../lib/progress.js';
import { SOCKET_IO_NORMAL } from '../lib/targets-durable.js';
import {
  INGEST_DESKS,
  type IngestFigures,
  type IngestRun,
  ingestOnce,
  WINDOW_PER_DESK,
} from './ingest-once.js';

/** The row of a run: its variant, or `row` when two runs share a desk variant. */
type NamedRun = IngestRun & { row?: string };
const rowOf = (run: NamedRun): string => run.row ?? run.variant;

const RUNS: NamedRun[] = [
  { variant: 'raw-ws', family: 'raw-ws', label: 'ingest-raw-ws' },
  { variant: 'socket.io', family: 'socket.io', label: 'ingest-socket-io' },
  // The peers commit with synchronous=FULL like av-gym; Socket.IO at NORMAL (an ack before the
  // fsync) is measured too, so the issue-15 target can be judged against the faster of the two.
  {
    variant: 'socket.io',
    family: 'socket.io',
    label: 'ingest-socket-io-normal',
    row: SOCKET_IO_NORMAL,
    env: { PEER_SYNCHRONOUS: 'NORMAL' },
  },
  { variant: 'av-gym-unbatched', family: 'av-gym', label: 'ingest-av-gym-unbatched' },
  { variant: 'av-gym', family: 'av-gym', label: 'ingest-av-gym' },
];

/**
 * Scenario 1, ingest: 100 desks send the gym mix as fast as acks allow; a message counts when its
 * ack (sent after the durable write) arrives inside the measured window. A full run takes the
 * variants in two rounds (A B C D A B C D), so a drift of the shared machine's load hits them alike;
 * a row is the mean of its rounds (p99 and RSS the worse).
 */
export async function runIngest(ctx: BenchContext): Promise<void> {
  const rounds = ctx.quick ? 1 : 2;
  const figures = new Map<string, IngestFigures[]>();
  for (let round = 1; round <= rounds; round++) {
    for (const run of RUNS) {
      progress(
        `ingest ${rowOf(run)} (round ${round}/${rounds}): ${INGEST_DESKS} desks x ${WINDOW_PER_DESK} in flight`,
      );
      const f = await ingestOnce(ctx, run);
      figures.set(rowOf(run), [...(figures.get(rowOf(run)) ?? []), f]);
      progress(
        `  ${rowOf(run)}: ${Math.round(f.ackedPerSec)} acked/s, ${Math.round(f.acceptedPerSec)} accepted/s, ` +
          `p50 ${f.p50Ms.toFixed(1)} ms, p99 ${f.p99Ms.toFixed(1)} ms, server ${f.serverRssMb.toFixed(0)} MB`,
      );
    }
  }
  for (const run of RUNS) {
    const all = figures.get(rowOf(run)) ?? [];
    const mean = (pick: (f: IngestFigures) => number) =>
      all.reduce((sum, f) => sum + pick(f), 0) / all.length;
    const worst = (pick: (f: IngestFigures) => number) => Math.max(...all.map(pick));
    const perRound = all.map((f) => Math.round(f.ackedPerSec).toLocaleString('en-US')).join(' / ');
    const compressed = all.map((f) => f.binaryFrames ?? 0).join(' / ');
    ctx.add({
      scenario: 'ingest',
      variant: rowOf(run),
      msgsPerSec: mean((f) => f.ackedPerSec),
      acceptedPerSec: mean((f) => f.acceptedPerSec),
      p50Ms: mean((f) => f.p50Ms),
      p99Ms: worst((f) => f.p99Ms),
      serverRssMb: worst((f) => f.serverRssMb),
      note:
        `acked/s per round: ${perRound}` +
        (run.family === 'av-gym' ? `; client defaults; compressed frames per round: ${compressed}` : ''),
    });
  }
}
