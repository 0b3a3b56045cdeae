/**
 * A bench child for the cross-node fan-out (issue 15): dashboards on one server, the writer on
 * another (or both on one, the single-node reference), one phase at a fixed rate. Answers
 * `{type:'result', ...}` per job; the same measures as the fan-out scenario's generator.
 */
import type { ChildMessage } from '../lib/child.js';
import { GymMix } from '../lib/gym-mix.js';
import { onParent, toParent } from '../lib/parent.js';
import { Dashboards } from './dashboards.js';
import { driveDesks } from './drive-desks.js';
import { openDesks } from './open-desk.js';

export interface CrossNodeJob {
  type: 'cross-node';
  dashboardsPort: number;
  writerPort: number;
  token: string;
  dashboards: number;
  sampled: number;
  ratePerSec: number;
  windowPerDesk: number;
  warmupMs: number;
  durationMs: number;
  memberIds: string[];
}

async function run(job: CrossNodeJob) {
  const dashboards = new Dashboards({
    protocol: 'av-gym',
    port: job.dashboardsPort,
    count: job.dashboards,
    token: job.token,
    sampled: job.sampled,
  });
  const [writer] = await openDesks('av-gym', job.writerPort, 1, job.token);
  await dashboards.open(job.dashboards);
  await dashboards.drain(300, job.durationMs < 2_000 ? 1_000 : 5_000);
  toParent({ type: 'phase-start' });
  const measure = setTimeout(() => {
    dashboards.reset();
    dashboards.measuring = true;
  }, job.warmupMs);
  const stop = setTimeout(() => {
    dashboards.measuring = false;
  }, job.warmupMs + job.durationMs);
  const result = await driveDesks([writer!], [new GymMix('writer', job.memberIds)], {
    ...job,
    visitsOnly: true,
    tailMs: 200,
    onSend: (m) => {
      m.data.at = Date.now();
    },
  });
  clearTimeout(measure);
  clearTimeout(stop);
  dashboards.measuring = false;
  writer!.close();
  const out = {
    ...result,
    deliveries: dashboards.deliveries,
    deliveryLatency: dashboards.latency.toJSON(),
    closedByServer: dashboards.closedByServer,
  };
  dashboards.close();
  return out;
}

onParent(async (job: ChildMessage) => {
  if (job.type !== 'cross-node') throw new Error(`unknown job ${job.type}`);
  toParent({ type: 'result', ...(await run(job as unknown as CrossNodeJob)) });
});
toParent({ type: 'ready' });
