import type { BenchContext } from '../lib/context.js';
import { runCeiling } from './ceiling.js';
import { runCrossNode } from './crossnode.js';
import { runFanout } from './fanout.js';
import { runIngest } from './ingest.js';
import { runLatency } from './latency.js';
import { runMemory } from './memory.js';
import { runPostgres } from './postgres.js';
import { runReports } from './reports.js';
import { runScale } from './scale.js';
import { runSteady } from './steady.js';
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
  steady: runSteady,
  crossnode: runCrossNode,
  storm: runStorm,
  reports: runReports,
  scale: runScale,
} satisfies Record<string, (ctx: BenchContext) => Promise<void>>;

export type ScenarioName = keyof typeof SCENARIOS;

/** Scenarios only `--only=` runs (the reports bench fills a million visits twice: minutes, not part of the 10-minute full run). */
export const OPT_IN_SCENARIOS: ReadonlySet<ScenarioName> = new Set(['reports', 'scale']);
