import { benchPath, Child } from './child.js';

/** Starts the load generator child and waits until it takes jobs; `profileDir` turns on `--cpu-prof`. */
export async function startGenerator(profileDir?: string): Promise<Child> {
  const child = new Child(benchPath('load/generator.ts'), {
    execArgv: [
      '--max-old-space-size=2048',
      '--expose-gc',
      ...(profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : []),
    ],
  });
  await child.next('ready', 30_000);
  return child;
}
