import { benchPath, Child } from '../lib/child.js';
import type { BenchContext } from '../lib/context.js';
import { createBenchDatabase, pgAvailable, pgServerUrl } from '../lib/pg-db.js';
import { progress } from '../lib/progress.js';
import { PG_CEILING, PG_IO, PG_OURS } from '../lib/targets-durable.js';
import { INGEST_DESKS, type IngestRun, ingestOnce, WINDOW_PER_DESK } from './ingest-once.js';

/**
 * Issue 15, PostgreSQL ingest: this machine's PostgreSQL server, a fresh database per server (created
 * and dropped here). The ceiling: the same rows by multi-row INSERT, 1,000 check-ins per transaction,
 * one connection. Then 100 desks of the gym mix as in the ingest scenario against Socket.IO writing
 * one statement per message (a pool of 10) and against the av-gym server on DATABASE_URL.
 */
export async function runPostgres(ctx: BenchContext): Promise<void> {
  if (!(await pgAvailable())) {
    progress(`postgres: ${pgServerUrl()} does not answer; skipped (set BENCH_PG_URL)`);
    return;
  }
  const ceilingDb = await createBenchDatabase('ceiling');
  progress(
    `postgres ceiling: 1,000 check-ins per multi-row INSERT transaction, one connection (${ceilingDb.name})`,
  );
  const ceiling = new Child(benchPath('peers/pg-ceiling.ts'), {
    env: { PEER_DATABASE_URL: ceilingDb.url, DURATION_MS: String(ctx.durationMs) },
  });
  try {
    const r = await ceiling.next<{ type: string; rows: number; elapsedMs: number }>(
      'result',
      ctx.durationMs + 60_000,
    );
    const perSec = r.rows / (r.elapsedMs / 1000);
    ctx.add({
      scenario: 'ceiling',
      variant: PG_CEILING,
      msgsPerSec: perSec,
      note: 'check-ins/s: a visit row + a processed id row each, 1,000 per transaction by multi-row INSERT, one connection, synchronous_commit on',
    });
    progress(`  ${PG_CEILING}: ${Math.round(perSec)} check-ins/s`);
  } finally {
    await ceiling.stop();
    await ceilingDb.drop();
  }

  const runs: (IngestRun & { db: string })[] = [
    { variant: 'socket.io', family: 'socket.io', label: 'pg-socket-io', db: PG_IO },
    { variant: 'av-gym', family: 'av-gym', label: 'pg-av-gym', db: PG_OURS },
  ];
  for (const run of runs) {
    const db = await createBenchDatabase(run.label);
    progress(`ingest ${run.db}: ${INGEST_DESKS} desks x ${WINDOW_PER_DESK} in flight (${db.name})`);
    try {
      const env: Record<string, string> =
        run.family === 'av-gym' ? { DATABASE_URL: db.url } : { PEER_DATABASE_URL: db.url };
      const f = await ingestOnce(ctx, { ...run, env });
      ctx.add({
        scenario: 'ingest',
        variant: run.db,
        msgsPerSec: f.ackedPerSec,
        acceptedPerSec: f.acceptedPerSec,
        p50Ms: f.p50Ms,
        p99Ms: f.p99Ms,
        serverRssMb: f.serverRssMb,
        note:
          run.family === 'av-gym'
            ? 'acked msgs/s, DATABASE_URL (a fresh database of this machine), client defaults'
            : 'acked msgs/s, one statement (a plpgsql function) per message on a pg.Pool of 10',
      });
      progress(
        `  ${run.db}: ${Math.round(f.ackedPerSec)} acked/s, p50 ${f.p50Ms.toFixed(1)} ms, p99 ${f.p99Ms.toFixed(1)} ms, server ${f.serverRssMb.toFixed(0)} MB`,
      );
    } finally {
      await db.drop();
    }
  }
}
