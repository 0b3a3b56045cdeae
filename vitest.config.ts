import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const src = (p: string) => fileURLToPath(new URL(p, import.meta.url));

/** Workspace packages resolve to their TypeScript sources, so tests never need a build. */
export const alias = {
  '@av-gym/protocol': src('./packages/protocol/src/index.ts'),
  '@av-gym/client': src('./packages/client/src/index.ts'),
  '@av-gym/server': src('./packages/server/src/index.ts'),
};

export default defineConfig({
  resolve: { alias },
  test: {
    projects: [
      { resolve: { alias }, test: { name: 'protocol', include: ['packages/protocol/src/**/*.test.ts'] } },
      {
        resolve: { alias },
        test: {
          name: 'client',
          include: ['packages/client/src/**/*.test.ts', 'packages/client/test/**/*.test.ts'],
          testTimeout: 60_000,
        },
      },
      {
        resolve: { alias },
        test: {
          name: 'server',
          include: ['packages/server/src/**/*.test.ts', 'packages/server/test/**/*.test.ts'],
          testTimeout: 60_000,
          hookTimeout: 60_000,
        },
      },
      { resolve: { alias }, test: { name: 'dashboard', include: ['apps/dashboard/src/**/*.test.{ts,tsx}'] } },
      { resolve: { alias }, test: { name: 'bench', include: ['bench/**/*.test.ts'] } },
    ],
  },
});
