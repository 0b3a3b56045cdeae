/**
 * The benchmark suite: `npm run bench` (full, under 10 min) or `npm run bench -- --quick` (under
 * 2 min). Options: `--only=ingest,fanout,...` runs some scenarios; `--profile` runs the av-gym
 * server under `--cpu-prof` (profiles in bench/results/profiles/); `--no-docs` leaves
 * docs/performance.md alone; `--docs-from=bench/results/latest.json` only rewrites the docs from a
 * saved run; `--keep-data` keeps the servers' temp folders (SQLite files, server.log). Progress
 * goes to stderr, the table to stdout.
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { benchPath } from './lib/child.js';
import { BenchContext } from './lib/context.js';
import { machine } from './lib/machine.js';
import { progress } from './lib/progress.js';
import { writeDocs } from './lib/report-docs.js';
import { formatTable } from './lib/report-table.js';
import type { BenchReport } from './lib/result.js';
import { compileServers } from './lib/servers.js';
import { OPT_IN_SCENARIOS, SCENARIOS, type ScenarioName } from './scenarios/index.js';

const args = process.argv.slice(2);
const quick = args.includes('--quick');
const profile = args.includes('--profile');
const onlyArg = args.find((a) => a.startsWith('--only='))?.slice('--only='.length);
const fromArg = args.find((a) => a.startsWith('--docs-from='))?.slice('--docs-from='.length);
const only = onlyArg ? (onlyArg.split(',') as ScenarioName[]) : undefined;
const command = `npm run bench${args.length ? ` -- ${args.join(' ')}` : ''}`;

if (fromArg) {
  // Rewrites docs/performance.md and the charts from a saved run, without running anything.
  const saved = JSON.parse(readFileSync(fromArg, 'utf8')) as BenchReport;
  writeDocs(saved);
  process.stdout.write(`${formatTable(saved)}\n`);
  process.exit(0);
}

const profileDir = profile ? benchPath('results/profiles') : undefined;
if (profileDir) {
  rmSync(profileDir, { recursive: true, force: true });
  mkdirSync(profileDir, { recursive: true });
}
const ctx = new BenchContext(quick, profileDir);
const startedAt = performance.now();
progress(`${command}: ${quick ? 'quick' : 'full'} run, temp data in ${ctx.root}`);
progress('compiling the servers to JavaScript (tsc -b for av-gym, transpile for the peers)');
compileServers();

for (const [name, run] of Object.entries(SCENARIOS) as [ScenarioName, (c: BenchContext) => Promise<void>][]) {
  if (only ? !only.includes(name) : OPT_IN_SCENARIOS.has(name)) continue;
  progress(`== ${name}`);
  try {
    await run(ctx);
  } catch (error) {
    progress(`!! ${name} failed: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 1;
  }
}

const report: BenchReport = {
  generatedAt: new Date().toISOString(),
  command,
  machine: machine(),
  results: ctx.results,
};
mkdirSync(benchPath('results'), { recursive: true });
const file = only ? `results/partial-${only.join('-')}.json` : 'results/latest.json';
writeFileSync(benchPath(file), `${JSON.stringify(report, null, 2)}\n`);
process.stdout.write(`${formatTable(report)}\n`);
if (!only && !args.includes('--no-docs')) writeDocs(report);
// The servers' SQLite files and logs: kept with --keep-data (to read a server.log), else removed.
if (!args.includes('--keep-data')) rmSync(ctx.root, { recursive: true, force: true });
progress(`done in ${((performance.now() - startedAt) / 1000).toFixed(0)} s: bench/${file}`);
