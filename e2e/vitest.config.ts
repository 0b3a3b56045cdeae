import { defineConfig } from 'vitest/config';
import { alias } from '../vitest.config.js';

/** Browser tests: real server child processes and Debian's Chromium, one file at a time (2 cores). */
export default defineConfig({
  resolve: { alias },
  test: {
    name: 'e2e',
    root: new URL('..', import.meta.url).pathname,
    include: ['e2e/**/*.e2e.test.ts'],
    globalSetup: ['e2e/global-setup.ts'],
    fileParallelism: false,
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
