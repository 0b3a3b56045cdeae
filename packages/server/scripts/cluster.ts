/**
 * Starts several server nodes on consecutive ports against one PostgreSQL and one Redis,
 * prints their URLs, and stops them all on Ctrl-C (SIGTERM each, SIGKILL after 10 s).
 *
 *   DATABASE_URL=postgres://postgres@127.0.0.1:5432/avgym REDIS_URL=redis://127.0.0.1:6379 \
 *     npm run cluster -- --nodes 3 [--port 8080]
 *
 * A rolling restart, one node at a time (each drains on SIGTERM, starts again on its port, and
 * the next goes once its /readyz answers 200): type `roll` and Enter, or `kill -USR2 <pid>` of
 * this script. Every other variable (AV_GYM_TOKENS, SEED_DEMO, LOG_LEVEL, DRAIN_*, ...) is passed
 * to each node.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
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

/** The running process of each node (by index); a node being rolled is replaced in place. */
const children: (ChildProcess | undefined)[] = [];
let stopping = false;
/** The node being restarted by a roll: its exit is expected. */
let rollingIndex: number | undefined;
/** A node gets this long to drain before it is killed (its own deadline is DRAIN_TIMEOUT_SEC). */
const drainTimeoutMs = (Number(process.env.DRAIN_TIMEOUT_SEC) || 30) * 1000 + 5_000;
/** A restarted node gets this long to answer /readyz 200 before the roll stops. */
const READY_TIMEOUT_MS = 60_000;

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
  children[index] = child;
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
      else if (!stopping && rollingIndex !== index)
        console.error(`cluster: ${name} exited (${signal ?? code}); the others keep running`);
    });
  });
}

/** SIGTERM (the node drains), SIGKILL after `killAfterMs`; resolves once it has exited. */
function terminate(child: ChildProcess | undefined, killAfterMs: number): Promise<void> {
  return new Promise<void>((resolve) => {
    if (!child || child.exitCode !== null || child.signalCode !== null) return resolve();
    const timer = setTimeout(() => child.kill('SIGKILL'), killAfterMs);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

async function stop(): Promise<void> {
  if (stopping) return;
  stopping = true;
  console.log('\ncluster: stopping every node');
  await Promise.all(children.map((child) => terminate(child, 10_000)));
  process.exit(0);
}

/** Polls `url`/readyz until it answers 200, at most READY_TIMEOUT_MS. */
async function waitReady(url: string): Promise<boolean> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (Date.now() < deadline && !stopping) {
    const ok = await fetch(`${url}/readyz`, { signal: AbortSignal.timeout(2_000) })
      .then((r) => r.status === 200)
      .catch(() => false);
    if (ok) return true;
    await new Promise((r) => setTimeout(r, 250));
  }
  return false;
}

let rolling: Promise<void> | undefined;

/** Restarts the nodes one at a time: drain, start again, wait until ready, then the next. */
async function roll(): Promise<void> {
  for (let i = 0; i < nodes && !stopping; i++) {
    rollingIndex = i;
    const started = Date.now();
    console.log(`cluster: roll: node ${i + 1} drains (SIGTERM)`);
    await terminate(children[i], drainTimeoutMs);
    const drainedMs = Date.now() - started;
    if (stopping) break;
    const url = await start(i);
    rollingIndex = undefined;
    if (!(await waitReady(url))) {
      console.error(`cluster: roll stopped: node ${i + 1} did not answer ${url}/readyz 200 in time`);
      return;
    }
    console.log(
      `cluster: roll: node ${i + 1} drained in ${drainedMs} ms and is ready again after ${Date.now() - started} ms`,
    );
  }
  rollingIndex = undefined;
  if (!stopping) console.log('cluster: roll done: every node restarted');
}

function requestRoll(): void {
  if (rolling) {
    console.log('cluster: a roll is already running');
    return;
  }
  rolling = roll()
    .catch((error: unknown) =>
      console.error(`cluster: roll failed: ${error instanceof Error ? error.message : String(error)}`),
    )
    .finally(() => {
      rolling = undefined;
    });
}

process.on('SIGINT', () => void stop());
// Should this script die another way, take the nodes with it.
process.on('exit', () => {
  for (const child of children)
    if (child && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
});
process.on('SIGTERM', () => void stop());
process.on('SIGUSR2', requestRoll);

try {
  const urls = await Promise.all(Array.from({ length: nodes }, (_, i) => start(i)));
  console.log(`\ncluster: ${nodes} node(s) up against one PostgreSQL and one Redis:`);
  urls.forEach((url, i) => {
    console.log(
      `  node ${i + 1}: ${url}  (WebSocket ${url.replace(/^http/, 'ws')}/ws, ${url}/readyz, ${url}/metrics)`,
    );
  });
  console.log(
    `cluster: Ctrl-C stops them all; type "roll" + Enter (or kill -USR2 ${process.pid}) for a rolling restart\n`,
  );
  if (process.stdin.isTTY) {
    const lines = createInterface({ input: process.stdin });
    lines.on('line', (line) => {
      if (line.trim() === 'roll') requestRoll();
      else if (line.trim().length > 0) console.log('cluster: commands: roll');
    });
  }
} catch (error) {
  console.error(`cluster: ${error instanceof Error ? error.message : String(error)}`);
  await stop();
}
