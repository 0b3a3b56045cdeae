import { defineConfig } from 'vitest/config';
import { alias } from '../vitest.config.js';
import { selectedEngines } from './browser.js';

/**
 * Browser tests: real server child processes and the three engines (Debian's Chromium,
 * Firefox ESR and WebKitGTK), one vitest project per engine so each engine's results carry
 * its name; engines one after another and one file at a time (2 cores).
 * `E2E_BROWSERS=firefox,webkit` (or `npm run test:e2e -- --browser=firefox`) picks engines.
 */
export default defineConfig({
  resolve: { alias },
  test: {
    root: new URL('..', import.meta.url).pathname,
    include: ['e2e/**/*.e2e.test.ts'],
    globalSetup: ['e2e/global-setup.ts'],
    fileParallelism: false,
    testTimeout: 60_000,
    hookTimeout: 120_000,
    projects: selectedEngines().map((engine, index) => ({
      extends: true as const,
      test: { name: engine, env: { E2E_BROWSER: engine }, sequence: { groupOrder: index } },
    })),
  },
});
