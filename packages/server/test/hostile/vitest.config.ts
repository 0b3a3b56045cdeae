import { defineConfig } from 'vitest/config';
import { alias } from '../../../../vitest.config.js';

/** The adversarial suite: a real server process attacked over real sockets, one file at a time. */
export default defineConfig({
  resolve: { alias },
  test: {
    name: 'hostile',
    root: new URL('../../../..', import.meta.url).pathname,
    include: ['packages/server/test/hostile/**/*.hostile.ts'],
    fileParallelism: false,
    testTimeout: 90_000,
    hookTimeout: 120_000,
  },
});
