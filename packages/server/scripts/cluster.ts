/**
 * Starts several server nodes on consecutive ports against one PostgreSQL and one Redis,
 * prints their URLs, and stops them all on Ctrl-C (SIGTERM each, SIGKILL after 10 s).
 *
 *   DATABASE_URL=postgres://postgres@127.0.0.1:5432/avgym REDIS_URL=redis://127.0.0.1:6379 \
 *     npm run cluster -- --nodes 3 [--port 8080]
 *
 * Every other variable (AV_GYM_TOKENS, SEED_DEMO, LOG_LEVEL, ...) is passed to each node.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const repoRoot = fileURLToPath(new URL('../../..', import.meta.url));

function fail(message: string): never {
  console.error(`cluster: ${message}`);
  process.exit(1);
}

const { values } = parseArgs({
  options: {
    nodes: { type: 'string', default: '3' },
    port: { type: 'string', default: process.env.PORT || '8080' },
    help: { type: 'boolean', default: false },
  },
});
if (values.help) {
  console.log('usage: npm run cluster -- --nodes 3 [--port 8080]   (needs DATABASE_URL and REDIS_URL)');
  process.exit(0);
}
const nodes = Number(values.nodes);
const basePort = Number(values.port);
if (!Number.isInteger(nodes) || nodes < 1 || nodes > 32) fail('--nodes must be a whole number from 1 to 32');
if (!Number.isInteger(basePort) || basePort < 1 || basePort + nodes - 1 > 65535)
  fail('--port must be a TCP port with room for every node after it');
if (!process.env.DATABASE_URL)
  fail('set DATABASE_URL to postgres://... (every node must share one database; SQLite is per process)');
if (!process.env.REDIS_URL) fail('set REDIS_URL to redis://... (the nodes exchange events through it)');

const children: ChildProcess[] = [];
let stopping = false;

function start(index: number): Promise<string> {
  const port = basePort + index;
  const name = `node ${index + 1}`;
  const child = spawn(
    process.execPath,
    ['--conditions=av-gym-source', '--import', 'tsx', 'packages/server/src/main.ts'],
    // Own process group: Ctrl-C reaches this script only, which then stops each node once, gracefully.
    {
      cwd: repoRoot,
      env: { ...process.env, PORT: String(port) },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    },
  );
  children.push(child);
  return new Promise((resolve, reject) => {
    let listening = false;
    const relay = (chunk: Buffer, to: NodeJS.WriteStream) => {
      for (const line of chunk.toString().split('\n')) {
        if (line.trim().length === 0) continue;
        to.write(`[${name}] ${line}\n`);
        const m = /listening on (http:\/\/[^\s]+)/.exec(line);
        if (m && !listening) {
          listening = true;
          resolve(m[1] as string);
        }
      }
    };
    child.stdout?.on('data', (c: Buffer) => relay(c, process.stdout));
    child.stderr?.on('data', (c: Buffer) => relay(c, process.stderr));
    child.once('exit', (code, signal) => {
      if (!listening) reject(new Error(`${name} exited (${signal ?? code}) before listening`));
      else if (!stopping)
        console.error(`cluster: ${name} exited (${signal ?? code}); the others keep running`);
    });
  });
}

async function stop(): Promise<void> {
  if (stopping) return;
  stopping = true;
  console.log('\ncluster: stopping every node');
  await Promise.all(
    children.map(
      (child) =>
        new Promise<void>((resolve) => {
          if (child.exitCode !== null || child.signalCode !== null) return resolve();
          const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
          child.once('exit', () => {
            clearTimeout(timer);
            resolve();
          });
          child.kill('SIGTERM');
        }),
    ),
  );
  process.exit(0);
}

process.on('SIGINT', () => void stop());
// Should this script die another way, take the nodes with it.
process.on('exit', () => {
  for (const child of children)
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
});
process.on('SIGTERM', () => void stop());

try {
  const urls = await Promise.all(Array.from({ length: nodes }, (_, i) => start(i)));
  console.log(`\ncluster: ${nodes} node(s) up against one PostgreSQL and one Redis:`);
  urls.forEach((url, i) => {
    console.log(
      `  node ${i + 1}: ${url}  (WebSocket ${url.replace(/^http/, 'ws')}/ws, ${url}/readyz, ${url}/metrics)`,
    );
  });
  console.log('cluster: Ctrl-C stops them all\n');
} catch (error) {
  console.error(`cluster: ${error instanceof Error ? error.message : String(error)}`);
  await stop();
}
