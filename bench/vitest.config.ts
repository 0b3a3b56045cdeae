import { defineConfig } from 'vitest/config';
import { alias } from '../vitest.config.js';

/** The bench's own unit tests: `npx vitest run --config bench/vitest.config.ts`. */
export default defineConfig({
  resolve: { alias },
  test: { name: 'bench', root: new URL('.', import.meta.url).pathname, include: ['**/*.test.ts'] },
});
