import { benchPath, Child } from '../lib/child.js';
import type { BenchContext } from '../lib/context.js';
import { startGenerator } from '../lib/generator-child.js';
import { progress } from '../lib/progress.js';
import { startPeer } from '../lib/servers.js';

/** Scenario 6, ceilings of this machine in this run: raw `ws` echo frames/s, SQLite batched inserts/s. */
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

  progress('ceiling sqlite-batched-insert: 1,000 check-ins per transaction, on disk');
  const sqlite = new Child(benchPath('peers/sqlite-ceiling.ts'), {
    env: { DATA_DIR: ctx.freshDir('sqlite-ceiling'), DURATION_MS: String(ctx.durationMs) },
  });
  try {
    const r = await sqlite.next<{ type: string; rows: number; elapsedMs: number }>(
      'result',
      ctx.durationMs + 30_000,
    );
    const perSec = r.rows / (r.elapsedMs / 1000);
    ctx.add({
      scenario: 'ceiling',
      variant: 'sqlite-batched-insert',
      msgsPerSec: perSec,
      note: 'check-ins/s: a visit row + a processed id row each, 1,000 per transaction',
    });
    progress(`  sqlite: ${Math.round(perSec)} check-ins/s`);
  } finally {
    await sqlite.stop();
  }
}
