import { createServer } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BENCH_BUILD, buildAvGym, buildBenchServers } from './build.js';
import { benchPath, Child } from './child.js';

/** The API token every av-gym server of the bench is started with. */
export const BENCH_TOKEN = 'bench-token-0123456789abcdef';

/** A server under test, running in its own process on 127.0.0.1. */
export interface RunningServer {
  child: Child;
  port: number;
  pid: number;
}

export type PeerKind = 'raw-ws' | 'socket.io' | 'echo' | 'ack';

const PEER_SCRIPTS: Record<PeerKind, string> = {
  'raw-ws': 'peers/raw-ws-server.ts',
  'socket.io': 'peers/socket-io-server.ts',
  echo: 'peers/echo-server.ts',
  ack: 'peers/ack-server.ts',
};

let compiled: { avGymMain?: string | undefined } | undefined;

/**
 * Compiles every server of the bench to JavaScript once per run (see build.ts): the av-gym server
 * with `tsc -b`, the peers by transpiling. Until then, or if that fails, servers run from source.
 */
export function compileServers(): void {
  buildBenchServers();
  compiled = { avGymMain: buildAvGym() };
}

/** Starts a peer baseline server and waits for it to listen (on `options.port`, default any free one). */
export async function startPeer(
  kind: PeerKind,
  dataDir: string,
  members: number,
  options: { port?: number; env?: Record<string, string> } = {},
): Promise<RunningServer> {
  const script = compiled
    ? join(BENCH_BUILD, PEER_SCRIPTS[kind].replace(/\.ts$/, '.js'))
    : benchPath(PEER_SCRIPTS[kind]);
  const child = new Child(script, {
    env: { DATA_DIR: dataDir, MEMBERS: String(members), PORT: String(options.port ?? 0), ...options.env },
  });
  const { port } = await child.next<{ type: string; port: number }>('listening', 30_000);
  return { child, port, pid: child.pid };
}

const SERVER_MAIN = fileURLToPath(new URL('../../packages/server/src/main.ts', import.meta.url));

/** A free TCP port on 127.0.0.1 (the server takes it a moment later). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}

/**
 * Starts the real av-gym server (built `dist/main.js`, else `src/main.ts`) with the SQLite file in
 * `dataDir` (fresh, or the one a server before it left), and waits until its HTTP API answers.
 * `profileDir` turns on `--cpu-prof`; `port` reuses a port (a restart), default a free one.
 */
export async function startAvGym(
  dataDir: string,
  profileDir?: string,
  options: { port?: number; env?: Record<string, string> } = {},
): Promise<RunningServer> {
  const port = options.port ?? (await freePort());
  const execArgv = profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : [];
  const child = new Child(compiled?.avGymMain ?? SERVER_MAIN, {
    execArgv,
    logFile: join(dataDir, 'server.log'),
    env: {
      PORT: String(port),
      HOST: '127.0.0.1',
      DATA_DIR: dataDir,
      AV_GYM_TOKENS: BENCH_TOKEN,
      // The bench measures the server's capacity: its 100 desks share one token at 45-70k msgs/s (20k
      // single-message frames/s unbatched) and its dashboards connect 100 at a time from one address,
      // past the per-credential and pre-auth defaults sized for a real gym's fleet.
      CREDENTIAL_RATE_PER_SEC: '10000000',
      CREDENTIAL_FRAME_RATE_PER_SEC: '10000000',
      MAX_PREAUTH_PER_IP: '1000',
      LOG_LEVEL: 'warn',
      NODE_ENV: 'production',
      // the demo gym as before issue 17: no year of visit history in the store the bench writes to
      SEED_HISTORY: '0',
      ...options.env,
    },
  });
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    try {
      const res = await fetch(`http://127.0.0.1:${port}/api/members?limit=1`, {
        headers: { authorization: `Bearer ${BENCH_TOKEN}` },
      });
      if (res.ok) return { child, port, pid: child.pid };
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, options.port === undefined ? 200 : 20));
  }
  await child.stop();
  throw new Error('the av-gym server did not answer /api/members within 60 s');
}

/** Member ids of the av-gym server's seeded demo gym (active ones first). */
export async function avGymMemberIds(port: number, limit = 500): Promise<string[]> {
  const res = await fetch(`http://127.0.0.1:${port}/api/members?limit=${limit}`, {
    headers: { authorization: `Bearer ${BENCH_TOKEN}` },
  });
  if (!res.ok) throw new Error(`GET /api/members answered ${res.status}`);
  const body = (await res.json()) as unknown;
  const list = (Array.isArray(body) ? body : ((body as { members?: unknown[] }).members ?? [])) as {
    id: string;
    status?: string;
  }[];
  const active = list.filter((m) => m.status === undefined || m.status === 'active').map((m) => m.id);
  if (active.length === 0) throw new Error('the demo gym has no active members');
  return active;
}
