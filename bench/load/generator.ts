/**
 * The load generator child: many desks and dashboards multiplexed in one process. It takes one job
 * at a time from the orchestrator over IPC and answers `{type:'result', ...}`.
 */

import type { ChildMessage } from '../lib/child.js';
import { GymMix, membersOfDesk } from '../lib/gym-mix.js';
import { onParent, sleep, toParent } from '../lib/parent.js';
import { binaryFramesSent, setFrameTap } from './av-gym-desk.js';
import { ByteCountingProxy } from './byte-counting-proxy.js';
import type { ClientHeapJob } from './client-heap-probe.js';
import { Dashboards, type DashboardsSpec } from './dashboards.js';
import { DeflateMeter } from './deflate-meter.js';
import { driveDesks } from './drive-desks.js';
import { type EchoSpec, runEcho } from './echo.js';
import type { LatencyJob } from './latency-probe.js';
import { type DeskVariant, openDesks } from './open-desk.js';
import type { SteadyJob } from './steady.js';
import type { Storm, StormSpec } from './storm.js';

export interface IngestJob {
  type: 'ingest';
  variant: DeskVariant;
  port: number;
  token?: string;
  desks: number;
  windowPerDesk: number;
  warmupMs: number;
  durationMs: number;
  memberIds: string[];
  /** Through a byte-counting proxy (the wire scenario): the result adds upBytes/downBytes of the window. */
  countBytes?: boolean;
  /** av-gym only: the compression the client offers (`deflate-raw`, `permessage-deflate`). */
  codec?: 'json' | 'deflate-raw';
  /** av-gym only: `full` asks for the full acks of old (no `hello.acks`); else the compact default. */
  acks?: 'full';
  /** av-gym only: also deflate-raw each frame written, to learn what a batch codec would save. */
  computeDeflate?: boolean;
}

export interface FanoutPhase {
  dashboards: number;
  /** Offered visit events per second; 0 = saturation. */
  ratePerSec: number;
}

export interface FanoutJob {
  type: 'fanout';
  dashboards: DashboardsSpec;
  writer: DeskVariant;
  phases: FanoutPhase[];
  windowPerDesk: number;
  warmupMs: number;
  durationMs: number;
  memberIds: string[];
}

async function ingest(job: IngestJob): Promise<void> {
  const proxy = job.countBytes ? await ByteCountingProxy.open(job.port) : undefined;
  const desks = await openDesks(
    job.variant,
    proxy?.port ?? job.port,
    job.desks,
    job.token,
    job.codec,
    job.acks,
  );
  const deflate = job.computeDeflate ? new DeflateMeter() : undefined;
  setFrameTap(deflate?.tap);
  const mixes = desks.map((_, d) => new GymMix(`desk-${d}`, membersOfDesk(job.memberIds, job.desks, d)));
  toParent({ type: 'started' });
  // Bytes count over the whole run, from after the handshakes until every message is answered:
  // no message is half in a window, resends and pings are included.
  const first = proxy?.snapshot();
  deflate?.start();
  const result = await driveDesks(desks, mixes, job);
  deflate?.stop();
  const last = proxy?.snapshot();
  for (const d of desks) d.close();
  proxy?.close();
  const bytes =
    first && last
      ? { upBytes: last.upBytes - first.upBytes, downBytes: last.downBytes - first.downBytes }
      : {};
  setFrameTap(undefined);
  toParent({ type: 'result', ...result, ...bytes, ...deflate?.totals(), binaryFrames: binaryFramesSent() });
}

async function fanout(job: FanoutJob): Promise<void> {
  const dashboards = new Dashboards(job.dashboards);
  const [writer] = await openDesks(job.writer, job.dashboards.port, 1, job.dashboards.token);
  const mix = new GymMix('writer', job.memberIds);
  for (const [i, phase] of job.phases.entries()) {
    dashboards.trim(phase.dashboards);
    await dashboards.open(phase.dashboards);
    await dashboards.drain(300, job.durationMs < 2_000 ? 1_000 : 5_000);
    toParent({ type: 'phase-start', phase: i });
    const measure = setTimeout(() => {
      dashboards.reset();
      dashboards.measuring = true;
    }, job.warmupMs);
    const stop = setTimeout(() => {
      dashboards.measuring = false;
    }, job.warmupMs + job.durationMs);
    const result = await driveDesks([writer!], [mix], {
      ...job,
      ratePerSec: phase.ratePerSec || undefined,
      visitsOnly: true,
      // Acks of the last events do not count: do not wait for a backlogged server to send them.
      tailMs: 200,
      onSend: (m) => {
        m.data.at = Date.now();
      },
    });
    clearTimeout(measure);
    clearTimeout(stop);
    dashboards.measuring = false;
    toParent({
      type: 'phase-result',
      phase: i,
      ...result,
      deliveries: dashboards.deliveries,
      deliveryLatency: dashboards.latency.toJSON(),
      closedByServer: dashboards.closedByServer,
    });
  }
  writer!.close();
  dashboards.close();
  toParent({ type: 'result' });
}

let held: Dashboards | undefined;
let storm: Storm | undefined;

onParent(async (job: ChildMessage) => {
  if (job.type === 'ingest') await ingest(job as unknown as IngestJob);
  else if (job.type === 'fanout') await fanout(job as unknown as FanoutJob);
  else if (job.type === 'client-heap') {
    const { runClientHeapProbe } = await import('./client-heap-probe.js');
    toParent({ type: 'result', ...(await runClientHeapProbe(job as unknown as ClientHeapJob)) });
  } else if (job.type === 'latency') {
    const { runLatencyProbe } = await import('./latency-probe.js');
    toParent({ type: 'result', ...(await runLatencyProbe(job as unknown as LatencyJob)) });
  } else if (job.type === 'steady') {
    const { runSteady } = await import('./steady.js');
    toParent({ type: 'result', ...(await runSteady(job as unknown as SteadyJob)) });
  } else if (job.type === 'echo')
    toParent({ type: 'result', ...(await runEcho(job as unknown as EchoSpec)) });
  else if (job.type === 'hold') {
    held = new Dashboards(job.dashboards as DashboardsSpec);
    await held.open();
    toParent({ type: 'holding' });
  } else if (job.type === 'release') {
    for (const s of held?.sockets ?? []) s.resume();
    await sleep(1_000);
    const closedByServer = held?.closedByServer ?? 0;
    held?.close();
    toParent({ type: 'released', closedByServer });
  } else if (job.type === 'storm-open') {
    storm = new (await import('./storm.js')).Storm(job.spec as StormSpec);
    await storm.open();
    toParent({ type: 'storm-ready' });
  } else if (job.type === 'storm-outage') {
    storm?.outage();
    toParent({ type: 'storm-armed' });
  } else if (job.type === 'storm-settle') {
    if (!storm) throw new Error('storm-settle before storm-open');
    toParent({ type: 'storm-result', ...(await storm.settle(Number(job.waitMs))) });
    storm = undefined;
  } else throw new Error(`unknown job ${job.type}`);
});
toParent({ type: 'ready' });
