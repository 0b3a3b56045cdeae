import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { CHROMIUM_PATH } from './browser.js';

const repoRoot = fileURLToPath(new URL('..', import.meta.url));

/**
 * Checks that Chromium is installed and builds the dashboard (about a second), so the tests
 * never run against a stale dist; E2E_SKIP_BUILD=1 keeps an existing one.
 */
export default function setup(): void {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(`${CHROMIUM_PATH} is missing: install it with "apt-get install -y chromium"`);
  }
  if (!existsSync(`${repoRoot}apps/dashboard/dist/index.html`) || process.env.E2E_SKIP_BUILD !== '1') {
    execFileSync('npm', ['run', 'build', '-w', 'apps/dashboard'], { cwd: repoRoot, stdio: 'inherit' });
  }
}
