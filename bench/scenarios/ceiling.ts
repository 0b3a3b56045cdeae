import { benchPath, Child } from '../lib/child.js';
import type { BenchContext } from '../lib/context.js';
import { startGenerator } from '../lib/generator-child.js';
import { progress } from '../lib/progress.js';
import { startPeer } from '../lib/servers.js';

/** Scenario 6, ceilings of this machine in this run: raw `ws` echo frames/s, SQLite batched inserts/s (synchronous FULL and NORMAL). */
export async function runCeiling(ctx: BenchContext): Promise<void> {
  progress('ceiling ws-echo: 8 connections x 64 frames in flight');
  const echo = await startPeer('echo', ctx.freshDir('echo'), 0);
  const generator = await startGenerator();
  try {
    generator.send({
      type: 'echo',
      port: echo.port,
      connections: 8,
      window: 64,
      payloadBytes: 120,
      warmupMs: ctx.warmupMs,
      durationMs: ctx.durationMs,
    });
    const r = await generator.next<{ type: string; frames: number; elapsedMs: number }>(
      'result',
      ctx.warmupMs + ctx.durationMs + 30_000,
    );
    const perSec = r.frames / (r.elapsedMs / 1000);
    ctx.add({
      scenario: 'ceiling',
      variant: 'ws-echo',
      msgsPerSec: perSec,
      note: 'frames/s echoed, 120-byte frames',
    });
    progress(`  ws-echo: ${Math.round(perSec)} frames/s`);
  } finally {
    await generator.stop();
    await echo.child.stop();
  }

  // FULL is the av-gym store's durability (the target's ceiling); NORMAL is shown beside it, so the
  // price of an fsync per commit stays visible.
  for (const synchronous of ['FULL', 'NORMAL'] as const) {
    const variant =
      synchronous === 'FULL' ? 'sqlite-batched-insert' : 'sqlite-batched-insert, synchronous=NORMAL';
    progress(`ceiling ${variant}: 1,000 check-ins per transaction, on disk, synchronous=${synchronous}`);
    const sqlite = new Child(benchPath('peers/sqlite-ceiling.ts'), {
      env: {
        DATA_DIR: ctx.freshDir('sqlite-ceiling'),
        DURATION_MS: String(ctx.durationMs),
        PEER_SYNCHRONOUS: synchronous,
      },
    });
    try {
      const r = await sqlite.next<{ type: string; rows: number; elapsedMs: number }>(
        'result',
        ctx.durationMs + 30_000,
      );
      const perSec = r.rows / (r.elapsedMs / 1000);
      ctx.add({
        scenario: 'ceiling',
        variant,
        msgsPerSec: perSec,
        note: `check-ins/s: a visit row + a processed id row each, 1,000 per transaction, WAL, synchronous=${synchronous}`,
      });
      progress(`  ${variant}: ${Math.round(perSec)} check-ins/s`);
    } finally {
      await sqlite.stop();
    }
  }
}
