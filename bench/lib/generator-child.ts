import { benchPath, Child } from './child.js';

/** Starts the load generator child and waits until it takes jobs. */
export async function startGenerator(): Promise<Child> {
  const child = new Child(benchPath('load/generator.ts'), {
    execArgv: ['--max-old-space-size=2048', '--expose-gc'],
  });
  await child.next('ready', 30_000);
  return child;
}
