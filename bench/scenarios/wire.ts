import type { BenchContext } from '../lib/context.js';
import { progress } from '../lib/progress.js';
import { type IngestRun, ingestOnce } from './ingest-once.js';

interface WireRun extends IngestRun {
  name: string;
}

/** The desks of an old client: deflate-raw upstream, no `hello.acks`, so every ack names every id. */
export const FULL_ACKS_NAME = 'av-gym batched deflate-raw, full acks';

const RUNS: WireRun[] = [
  { name: 'raw-ws json', variant: 'raw-ws', family: 'raw-ws', label: 'wire-raw-ws' },
  { name: 'socket.io', variant: 'socket.io', family: 'socket.io', label: 'wire-socket-io' },
  {
    name: 'av-gym-unbatched json',
    variant: 'av-gym-unbatched',
    family: 'av-gym',
    label: 'wire-unbatched',
    codec: 'json',
  },
  {
    name: 'av-gym batched json',
    variant: 'av-gym',
    family: 'av-gym',
    label: 'wire-batched',
    codec: 'json',
    computeDeflate: true,
  },
  {
    name: FULL_ACKS_NAME,
    variant: 'av-gym',
    family: 'av-gym',
    label: 'wire-deflate-full-acks',
    codec: 'deflate-raw',
    acks: 'full',
  },
  {
    name: 'av-gym batched deflate-raw',
    variant: 'av-gym',
    family: 'av-gym',
    label: 'wire-deflate',
    codec: 'deflate-raw',
  },
];

/** The variant name when the deflate-raw run compressed nothing (the client does not offer the codec). */
const NOT_NEGOTIATED = 'av-gym batched, deflate-raw asked, not used';

/** The computed row: what the batched run's frames would weigh with a deflate-raw codec. */
const DEFLATE_NAME = 'av-gym batched + deflate-raw (computed)';

/** The seed's claim, printed beside the measured saving. */
const SEED_CLAIM = 'seed claims 15-30% fewer bytes';

function ackNote(run: WireRun): string {
  if (run.family !== 'av-gym') return "the peer's own";
  if (run.variant === 'av-gym-unbatched') return 'single acks';
  return run.acks === 'full' ? 'full, every id by name' : 'compact, deflate-raw past 256 B';
}

/**
 * Scenario 3, wire: the ingest load again, through a proxy that counts the bytes each client puts on
 * its TCP socket (frames, masks, handshakes); bytes per acked logical message of the gym mix.
 */
export async function runWire(ctx: BenchContext): Promise<void> {
  let unbatched: number | undefined;
  for (const run of RUNS) {
    progress(`wire ${run.name}: ingest through a byte-counting proxy`);
    const f = await ingestOnce(ctx, {
      ...run,
      countBytes: true,
      warmupMs: ctx.quick ? 300 : 1_000,
      durationMs: ctx.quick ? 700 : 4_000,
    });
    const up = f.upBytesPerMsg ?? 0;
    const down = f.downBytesPerMsg ?? 0;
    if (run.name === 'av-gym-unbatched json') unbatched = up;
    const unused = run.codec === 'deflate-raw' && !f.binaryFrames;
    const saving =
      unbatched && run.variant === 'av-gym'
        ? `${((1 - up / unbatched) * 100).toFixed(1)}% fewer bytes than unbatched (${SEED_CLAIM}); `
        : '';
    ctx.add({
      scenario: 'wire',
      variant: unused ? NOT_NEGOTIATED : run.name,
      bytesPerMsg: up,
      downBytesPerMsg: down,
      roundTripBytesPerMsg: up + down,
      msgsPerSec: f.answeredPerSec,
      note:
        `${saving}bytes/msg: client to server; down: server to client (acks: ${ackNote(run)})` +
        (run.codec === 'deflate-raw' ? `; ${f.binaryFrames ?? 0} compressed frames` : ''),
    });
    if (f.deflatedBytesPerMsg !== undefined && unbatched) {
      const d = f.deflatedBytesPerMsg;
      ctx.add({
        scenario: 'wire',
        variant: DEFLATE_NAME,
        bytesPerMsg: d,
        note:
          `${((1 - d / unbatched) * 100).toFixed(1)}% fewer bytes than unbatched; computed, not sent: ` +
          `each JSON frame of the batched run deflate-raw compressed here (level 1), framing as measured; ` +
          `${(1 / (f.framesPerMsg ?? 1)).toFixed(1)} messages per frame`,
      });
      progress(`  ${DEFLATE_NAME}: ${d.toFixed(1)} B/msg`);
    }
    progress(
      `  ${run.name}: ${up.toFixed(1)} B/msg up, ${down.toFixed(1)} B/msg down, ${(up + down).toFixed(1)} round trip, ${Math.round(f.answeredPerSec)} msgs/s ${saving}`,
    );
  }
}
