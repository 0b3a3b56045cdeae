import { join } from 'node:path';
import type { BenchContext } from '../lib/context.js';
import { startGenerator } from '../lib/generator-child.js';
import { Histogram, type HistogramJson } from '../lib/histogram.js';
import { RssSampler } from '../lib/rss-sampler.js';
import { type ServerFamily, startTarget } from '../lib/target-server.js';
import type { DeskVariant } from '../load/open-desk.js';

/** Desks sending the gym mix at once, and the logical messages each keeps waiting for an ack. */
export const INGEST_DESKS = 100;
export const WINDOW_PER_DESK = 64;

export interface IngestRun {
  variant: DeskVariant;
  family: ServerFamily;
  label: string;
  codec?: 'json' | 'deflate-raw';
  /** `full`: the desks ask for the full acks of old (issue 15 compares them with compact ones). */
  acks?: 'full';
  countBytes?: boolean;
  computeDeflate?: boolean;
  /** The server's extra environment (the PostgreSQL runs: its DATABASE_URL or PEER_DATABASE_URL). */
  env?: Record<string, string>;
  /** Warm-up and measured window when not the context's. */
  warmupMs?: number;
  durationMs?: number;
}

export interface IngestFigures {
  ackedPerSec: number;
  /** Messages answered per second over the whole run (warm-up and tail included). */
  answeredPerSec: number;
  acceptedPerSec: number;
  p50Ms: number;
  p99Ms: number;
  serverRssMb: number;
  /** Client-to-server and server-to-client bytes per acked message (with `countBytes`). */
  upBytesPerMsg?: number;
  downBytesPerMsg?: number;
  /** With `computeDeflate`: bytes per message had each frame been deflate-raw compressed, and frames per message. */
  deflatedBytesPerMsg?: number;
  framesPerMsg?: number;
  /** Compressed (binary) frames the av-gym desks wrote. */
  binaryFrames?: number;
}

interface ResultMessage {
  type: string;
  sent: number;
  answered: number;
  totalMs: number;
  acked: number;
  accepted: number;
  elapsedMs: number;
  latency: HistogramJson;
  upBytes?: number;
  downBytes?: number;
  plainBytes?: number;
  deflatedBytes?: number;
  frames?: number;
  binaryFrames?: number;
}

/** One ingest run: a fresh server of `family`, 100 desks of `variant` in one generator process. */
export async function ingestOnce(ctx: BenchContext, run: IngestRun): Promise<IngestFigures> {
  const server = await startTarget(ctx, run.family, run.label, run.env);
  const generator = await startGenerator(
    ctx.profileDir ? join(ctx.profileDir, `${run.label}-generator`) : undefined,
  );
  const rss = new RssSampler(server.pid);
  const warmupMs = run.warmupMs ?? ctx.ingestWarmupMs;
  const durationMs = run.durationMs ?? ctx.durationMs;
  try {
    generator.send({
      type: 'ingest',
      variant: run.variant,
      port: server.port,
      token: server.token,
      desks: INGEST_DESKS,
      windowPerDesk: WINDOW_PER_DESK,
      warmupMs,
      durationMs,
      memberIds: server.memberIds,
      countBytes: run.countBytes,
      codec: run.codec,
      acks: run.acks,
      computeDeflate: run.computeDeflate,
    });
    await generator.next('started', 60_000);
    rss.mark();
    const r = await generator.next<ResultMessage>('result', warmupMs + durationMs + 60_000);
    const latency = Histogram.fromJSON(r.latency);
    const seconds = r.elapsedMs / 1000;
    // Bytes were counted over the whole run: divide by every message answered in it.
    const answered = Math.max(1, r.answered);
    return {
      ackedPerSec: r.acked / seconds,
      answeredPerSec: r.answered / (r.totalMs / 1000),
      acceptedPerSec: r.accepted / seconds,
      p50Ms: latency.percentile(50),
      p99Ms: latency.percentile(99),
      serverRssMb: rss.peak(),
      upBytesPerMsg: r.upBytes === undefined ? undefined : r.upBytes / answered,
      downBytesPerMsg: r.downBytes === undefined ? undefined : r.downBytes / answered,
      deflatedBytesPerMsg:
        r.upBytes === undefined || r.plainBytes === undefined || r.deflatedBytes === undefined
          ? undefined
          : (r.upBytes - r.plainBytes + r.deflatedBytes) / answered,
      framesPerMsg: r.frames === undefined ? undefined : r.frames / answered,
      binaryFrames: r.binaryFrames,
    };
  } finally {
    rss.stop();
    await generator.stop();
    await server.child.stop();
  }
}
