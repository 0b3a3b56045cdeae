import type { BenchContext } from '../lib/context.js';
import { runCeiling } from './ceiling.js';
import { runFanout } from './fanout.js';
import { runIngest } from './ingest.js';
import { runLatency } from './latency.js';
import { runMemory } from './memory.js';
import { runPostgres } from './postgres.js';
import { runStorm } from './storm.js';
import { runWire } from './wire.js';

/** Every scenario, in the order a run takes them (ceilings first: the rest are ratios of them). */
export const SCENARIOS = {
  ceiling: runCeiling,
  ingest: runIngest,
  fanout: runFanout,
  wire: runWire,
  latency: runLatency,
  memory: runMemory,
  postgres: runPostgres,
  storm: runStorm,
} satisfies Record<string, (ctx: BenchContext) => Promise<void>>;

export type ScenarioName = keyof typeof SCENARIOS;
