import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const repoRoot = fileURLToPath(new URL('..', import.meta.url));

/**
 * Builds the dashboard once per run (a few seconds), so the tests never run against a stale
 * dist; E2E_SKIP_BUILD=1 keeps an existing one. Each engine checks its own binaries when it
 * launches, so a missing engine fails under its own name and the others still run.
 */
export default function setup(): void {
  // the root config and each engine's project load this file: build only the first time
  if (process.env.AV_GYM_E2E_BUILT === '1') return;
  process.env.AV_GYM_E2E_BUILT = '1';
  if (!existsSync(`${repoRoot}apps/dashboard/dist/index.html`) || process.env.E2E_SKIP_BUILD !== '1') {
    execFileSync('npm', ['run', 'build', '-w', 'apps/dashboard'], { cwd: repoRoot, stdio: 'inherit' });
  }
}
