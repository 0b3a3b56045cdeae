import type { BenchContext } from '../lib/context.js';
import { startGenerator } from '../lib/generator-child.js';
import { progress } from '../lib/progress.js';
import type { RunningServer } from '../lib/servers.js';
import { restartTarget, startTarget } from '../lib/target-server.js';
import type { StormProtocol, StormResult } from '../load/storm.js';

/** Connected desks when the server goes down (issue 15: 2,000). */
const DESKS = 2_000;
const QUICK_DESKS = 500;
/** Check-ins the writer makes: half before the outage, half during it. */
const CHECK_INS = 40;
/** How long desks get to come back after the server is up again. */
const BACK_WITHIN_MS = 30_000;
/** Issue 15's bound: every desk back and resumed within 15 s of the restart. */
export const STORM_TARGET_MS = 15_000;

interface Variant {
  name: string;
  protocol: StormProtocol;
  /** `term`: SIGTERM (av-gym drains, sends goaway and 1012); `kill`: SIGKILL, as a crash. */
  stop: 'term' | 'kill';
}

const VARIANTS: Variant[] = [
  { name: 'av-gym, SIGTERM (drain, goaway window, 1012)', protocol: 'av-gym', stop: 'term' },
  { name: 'av-gym, SIGKILL', protocol: 'av-gym', stop: 'kill' },
  { name: 'socket.io with connection state recovery, SIGKILL', protocol: 'socket.io', stop: 'kill' },
];

export const pct = (sorted: number[], p: number): number | undefined =>
  sorted.length === 0
    ? undefined
    : sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];

/** Most returns in any 100 ms: how hard the fleet hit the server at once. */
export function peakPer100ms(backAt: number[]): number {
  let peak = 0;
  let from = 0;
  for (let to = 0; to < backAt.length; to++) {
    while ((backAt[to] as number) - (backAt[from] as number) >= 100) from++;
    peak = Math.max(peak, to - from + 1);
  }
  return peak;
}

async function runVariant(ctx: BenchContext, variant: Variant, desks: number): Promise<void> {
  const family = variant.protocol === 'av-gym' ? 'av-gym' : 'socket.io';
  const env = family === 'socket.io' ? { STATE_RECOVERY: '1' } : undefined;
  const server = await startTarget(ctx, family, 'storm', env);
  const generator = await startGenerator();
  let next: RunningServer | undefined;
  try {
    generator.send({
      type: 'storm-open',
      spec: {
        protocol: variant.protocol,
        port: server.port,
        token: server.token,
        desks,
        memberIds: server.memberIds.slice(0, CHECK_INS),
      },
    });
    await generator.next('storm-ready', 180_000);
    generator.send({ type: 'storm-outage' });
    await generator.next('storm-armed', 10_000);
    const downAt = Date.now();
    if (variant.stop === 'kill') await server.child.kill();
    else await server.child.stop(35_000);
    const stoppedAt = Date.now();
    next = await restartTarget(server, env);
    const upAt = Date.now();
    generator.send({ type: 'storm-settle', waitMs: BACK_WITHIN_MS });
    const r = await generator.next<StormResult & { type: string }>('storm-result', BACK_WITHIN_MS + 60_000);
    const sinceDown = r.backAt.map((t) => t - downAt);
    const lastBack = sinceDown[sinceDown.length - 1];
    const allBack = r.back === r.desks && lastBack !== undefined;
    ctx.add({
      scenario: 'storm',
      variant: `${variant.name}, ${desks} desks`,
      p50Ms: pct(sinceDown, 50),
      p99Ms: pct(sinceDown, 99),
      maxMs: lastBack,
      desks: r.desks,
      resumed: r.resumed,
      note:
        `ms from the stop to each desk's return; ${r.back}/${r.desks} back${allBack ? '' : ` within ${BACK_WITHIN_MS / 1000} s of the restart`}, ` +
        `${r.resumed} resumed; stop took ${stoppedAt - downAt} ms, restart ${upAt - stoppedAt} ms; ` +
        `peak ${peakPer100ms(r.backAt)} returns in 100 ms; writer ${r.writerOk} ok, ${r.writerRefused} refused, ${r.writerUnanswered} unanswered; ` +
        `visit events missed ${r.missedEvents}, doubled ${r.doubledEvents} (of ${r.expectedEvents} per desk)`,
    });
    progress(
      `  ${variant.name}: ${r.back}/${r.desks} back, ${r.resumed} resumed, last ${lastBack ?? 'n/a'} ms after the stop, ` +
        `missed ${r.missedEvents}, doubled ${r.doubledEvents}, writer ${r.writerOk} ok / ${r.writerUnanswered} unanswered`,
    );
  } finally {
    await generator.stop();
    await (next ?? server).child.stop();
    if (next) await server.child.stop();
  }
}

/**
 * Issue 15's reconnect storm: 2,000 connected desks (500 with --quick), the server stopped and
 * started again on the same port and data; every desk's return timed, its resume counted, and
 * every visit event checked once per desk. Socket.IO with connection state recovery in the same run.
 */
export async function runStorm(ctx: BenchContext): Promise<void> {
  const desks = ctx.quick ? QUICK_DESKS : DESKS;
  progress(`storm: ${desks} connected desks, the server stopped and started again`);
  for (const variant of VARIANTS) {
    try {
      await runVariant(ctx, variant, desks);
    } catch (err) {
      progress(`!! storm ${variant.name} failed: ${(err as Error).message}`);
    }
  }
}
