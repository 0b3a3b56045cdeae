// npm run test:e2e [-- --browser=firefox[,webkit]] [vitest options]: vitest has a --browser
// option of its own (its browser mode), so this picks the engines and passes the rest on.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const args = process.argv.slice(2);
const rest = [];
let browsers = process.env.E2E_BROWSERS ?? '';
for (let i = 0; i < args.length; i += 1) {
  const arg = args[i];
  if (arg.startsWith('--browser=')) browsers = arg.slice('--browser='.length);
  else if (arg === '--browser') browsers = args[++i] ?? '';
  else rest.push(arg);
}
const vitest = fileURLToPath(new URL('../node_modules/vitest/vitest.mjs', import.meta.url));
const config = fileURLToPath(new URL('./vitest.config.ts', import.meta.url));
const result = spawnSync(process.execPath, [vitest, 'run', '--config', config, ...rest], {
  stdio: 'inherit',
  env: { ...process.env, E2E_BROWSERS: browsers },
});
process.exit(result.status ?? 1);
