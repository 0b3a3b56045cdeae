import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const BENCH = join(ROOT, 'bench');
/** Where the bench's own servers are compiled to (inside the repo, so their packages resolve). */
export const BENCH_BUILD = join(BENCH, 'results', '.build');

/**
 * Servers run as plain JavaScript, as in production: a TypeScript loader (tsx) adds its own
 * worker thread and some 50 MB of RSS to a process, which would blur the memory figures.
 * Builds the av-gym server (`tsc -b`, incremental: a no-op when dist is fresh) and returns its
 * entry, or undefined (the source is used) when there is none.
 */
export function buildAvGym(): string | undefined {
  const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
  try {
    execFileSync(process.execPath, [tsc, '-b', 'packages/server/tsconfig.build.json'], {
      cwd: ROOT,
      stdio: 'pipe',
    });
  } catch (error) {
    // tsc -b still emits when it finds type errors (work in progress of others in this checkout).
    const out = (error as { stdout?: Buffer }).stdout?.toString() ?? String(error);
    const first = out.split('\n').find((l) => l.includes('error')) ?? out.slice(0, 200);
    process.stderr.write(`[bench] tsc -b reported errors, using what it emitted: ${first.slice(0, 200)}\n`);
  }
  const main = join(ROOT, 'packages/server/dist/main.js');
  return existsSync(main) ? main : undefined;
}

/** Transpiles bench/{lib,peers}/*.ts (tests aside) to JavaScript in BENCH_BUILD; imports already end in .js. */
export function buildBenchServers(): void {
  for (const folder of ['lib', 'peers']) {
    for (const name of readdirSync(join(BENCH, folder))) {
      if (!name.endsWith('.ts') || name.endsWith('.test.ts')) continue;
      const source = join(BENCH, folder, name);
      const out = join(BENCH_BUILD, relative(BENCH, source)).replace(/\.ts$/, '.js');
      if (existsSync(out) && statSync(out).mtimeMs >= statSync(source).mtimeMs) continue;
      const { outputText } = ts.transpileModule(readFileSync(source, 'utf8'), {
        compilerOptions: {
          module: ts.ModuleKind.ESNext,
          target: ts.ScriptTarget.ES2022,
          verbatimModuleSyntax: true,
        },
        fileName: source,
      });
      mkdirSync(dirname(out), { recursive: true });
      writeFileSync(out, outputText);
    }
  }
  writeFileSync(join(BENCH_BUILD, 'package.json'), '{"type":"module"}\n');
}
