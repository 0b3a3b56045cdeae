/**
 * The consumer alone, without sockets: 100 desks' calls of the gym mix straight into
 * `handleBatch` over a real SQLite file, as many in flight as the ingest scenario keeps. It shows
 * what the store and consumer cost per message, apart from the wire and the client.
 * `node --conditions=av-gym-source --import tsx [--cpu-prof] bench/consumer-micro.ts [seconds=5]`
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createBatchConsumer, createSqliteStore } from '@av-gym/server';
import { pino } from 'pino';
import { GymMix, membersOfDesk } from './lib/gym-mix.js';

const DESKS = 100;
const PER_CALL = 16;
const CALLS_IN_FLIGHT = 4;
const seconds = Number(process.argv[2] ?? 5);

const dir = mkdtempSync(join(tmpdir(), 'av-gym-consumer-micro-'));
const logger = pino({ level: 'warn' });
const store = createSqliteStore({ file: join(dir, 'gym.sqlite'), logger });
await store.init({ seedDemo: true });
const members = (await store.searchMembers({ status: 'active', limit: 10_000 })).map((m) => m.id);
const consumer = createBatchConsumer({ store, sink: { publish: () => {} }, logger });

let acked = 0;
let stop = false;
const started = performance.now();
const mixes = Array.from(
  { length: DESKS },
  (_, d) => new GymMix(`desk-${d}`, membersOfDesk(members, DESKS, d)),
);
async function desk(d: number): Promise<void> {
  const mix = mixes[d]!;
  while (!stop) {
    const batches: Record<string, { id: string; data: unknown }[]> = {};
    for (let i = 0; i < PER_CALL; i++) {
      const m = mix.next();
      const list = batches[m.type] ?? [];
      batches[m.type] = list;
      list.push({ id: m.id, data: m.data });
    }
    await consumer.handleBatch({ clientId: `desk-${d}`, batches });
    acked += PER_CALL;
    // Yield to timers as a socket's read would: the consumer can run in microtasks alone.
    await new Promise((resolve) => setImmediate(resolve));
  }
}
const timer = setTimeout(() => {
  stop = true;
}, seconds * 1000);
await Promise.all(Array.from({ length: DESKS * CALLS_IN_FLIGHT }, (_, i) => desk(i % DESKS)));
clearTimeout(timer);
const elapsed = (performance.now() - started) / 1000;
const stats = consumer.stats();
console.log(
  `${Math.round(acked / elapsed)} msgs/s over ${elapsed.toFixed(1)} s; ${stats.transactions} transactions, ` +
    `${Math.round(acked / Math.max(1, stats.transactions))} msgs each`,
);
await consumer.drain();
await store.close();
rmSync(dir, { recursive: true, force: true });
