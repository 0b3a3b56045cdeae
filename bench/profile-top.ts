/**
 * Hot spots of V8 CPU profiles (`node --cpu-prof`, or `npm run bench -- --profile`):
 * `npx tsx bench/profile-top.ts <file-or-dir> [top=25]` prints self time per function with file:line.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { originalPosition } from './lib/source-map.js';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number };
  hitCount?: number;
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

/** Self time (ms) per `function file:line`, summed over the samples of one or more profiles. */
export function selfTimes(profiles: CpuProfile[]): Map<string, number> {
  const totals = new Map<string, number>();
  for (const profile of profiles) {
    const byId = new Map(profile.nodes.map((n) => [n.id, n]));
    profile.samples.forEach((id, i) => {
      const node = byId.get(id);
      if (!node) return;
      const key = keyOf(node);
      totals.set(key, (totals.get(key) ?? 0) + (profile.timeDeltas[i] ?? 0) / 1000);
    });
  }
  return totals;
}

/**
 * Inclusive time (ms) of our own functions (`packages/`): self time plus everything they call,
 * counted once per call path even when a function recurses.
 */
export function totalTimes(profiles: CpuProfile[]): Map<string, number> {
  const totals = new Map<string, number>();
  for (const profile of profiles) {
    const self = new Map<number, number>();
    profile.samples.forEach((id, i) => {
      self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0) / 1000);
    });
    const byId = new Map(profile.nodes.map((n) => [n.id, n]));
    const walk = (id: number, open: Set<string>): number => {
      const node = byId.get(id);
      if (!node) return 0;
      const key = keyOf(node);
      const ours = key.includes('packages/') && !open.has(key);
      if (ours) open.add(key);
      let ms = self.get(id) ?? 0;
      for (const child of node.children ?? []) ms += walk(child, open);
      if (ours) {
        open.delete(key);
        totals.set(key, (totals.get(key) ?? 0) + ms);
      }
      return ms;
    };
    const root = profile.nodes[0];
    if (root) walk(root.id, new Set());
  }
  return totals;
}

function keyOf(node: ProfileNode): string {
  const { functionName, url, lineNumber, columnNumber } = node.callFrame;
  const path = url.replace(/^file:\/\//, '');
  const mapped = path.endsWith('.js') ? originalPosition(path, lineNumber, columnNumber) : undefined;
  const file = mapped ? relative(process.cwd(), mapped.file) : url ? relative(process.cwd(), path) : '';
  const line = mapped ? mapped.line : path.endsWith('.ts') ? sourceLine(path, functionName) : lineNumber + 1;
  return `${functionName || '(anonymous)'} ${file ? `${file}:${line ?? '?'}` : ''}`.trim();
}

const sources = new Map<string, string[]>();

/**
 * The line where `name` is defined in a TypeScript source. tsx strips whitespace when it compiles,
 * so the profile's own line numbers of .ts files are useless; the definition is found by name.
 */
function sourceLine(path: string, name: string): number | undefined {
  if (!name) return undefined;
  let lines = sources.get(path);
  if (!lines) {
    try {
      lines = readFileSync(path, 'utf8').split('\n');
    } catch {
      lines = [];
    }
    sources.set(path, lines);
  }
  const escaped = name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const definition = new RegExp(
    `(function\\*?\\s+${escaped}\\b|\\b${escaped}\\s*[=:]\\s*(async\\s*)?(\\(|function|[a-z_]+\\s*=>)|^\\s*(export\\s+)?(async\\s+)?(static\\s+)?(get\\s+|set\\s+)?${escaped}\\s*[(<])`,
  );
  const index = lines.findIndex((l) => definition.test(l));
  return index >= 0 ? index + 1 : undefined;
}

const filesOf = (path: string): string[] =>
  statSync(path).isDirectory()
    ? readdirSync(path, { recursive: true, encoding: 'utf8' })
        .filter((f) => f.endsWith('.cpuprofile'))
        .map((f) => join(path, f))
    : [path];

if (process.argv[1]?.endsWith('profile-top.ts')) {
  const [path = 'bench/results/profiles', topArg = '25'] = process.argv.slice(2);
  const profiles = filesOf(path).map((f) => JSON.parse(readFileSync(f, 'utf8')) as CpuProfile);
  const totals = [...selfTimes(profiles).entries()].sort((a, b) => b[1] - a[1]);
  const all = totals.reduce((s, [, ms]) => s + ms, 0);
  const busy = totals.filter(([k]) => !k.startsWith('(idle)')).reduce((s, [, ms]) => s + ms, 0);
  process.stdout.write(
    `${profiles.length} profile(s), ${all.toFixed(0)} ms sampled, ${busy.toFixed(0)} ms not idle\n`,
  );
  const print = (rows: [string, number][]) => {
    for (const [key, ms] of rows.slice(0, Number(topArg))) {
      process.stdout.write(
        `${ms.toFixed(0).padStart(7)} ms ${((ms / busy) * 100).toFixed(1).padStart(5)}%  ${key}\n`,
      );
    }
  };
  process.stdout.write('-- self time\n');
  print(totals);
  process.stdout.write('-- inclusive time of packages/ functions\n');
  print([...totalTimes(profiles).entries()].sort((a, b) => b[1] - a[1]));
}
