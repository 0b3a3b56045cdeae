import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer as createNetServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { WebSocketService } from '../src/index.js';

const TOKEN = 'client-desk-crash-token-0123456789';
const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const DESK = fileURLToPath(new URL('./desk-process.ts', import.meta.url));
const MEMBERS = 50;
const OPS_PER_MEMBER = 40; // 2,000 actions: 20 visits per member, each in then out

const children = new Set<ChildProcess>();
const dirs: string[] = [];
afterAll(async () => {
  for (const c of children) await kill(c);
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createNetServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

/** Spawns a TypeScript entry and resolves with the first stdout line matching `ready`. */
function run(args: string[], env: NodeJS.ProcessEnv, ready: RegExp, timeoutMs: number) {
  const child = spawn(process.execPath, ['--conditions=av-gym-source', '--import', 'tsx', ...args], {
    cwd: ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.add(child);
  child.once('exit', () => children.delete(child));
  const line = new Promise<string>((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`${args[0]} printed no ${ready}: ${out}`)), timeoutMs);
    child.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const hit = out.split('\n').find((l) => ready.test(l));
      if (hit !== undefined) {
        clearTimeout(timer);
        resolve(hit);
      }
    });
    child.stderr?.on('data', (c: Buffer) => {
      out += c.toString();
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${args[0]} exited with ${code} first: ${out}`));
    });
  });
  return { child, line };
}

function startServer(port: number, dataDir: string) {
  const env = Object.fromEntries(
    Object.entries(process.env).filter(([k]) => k !== 'DATABASE_URL' && k !== 'REDIS_URL'),
  );
  return run(
    ['packages/server/src/main.ts'],
    {
      ...env,
      PORT: String(port),
      HOST: '127.0.0.1',
      DATA_DIR: dataDir,
      AV_GYM_TOKENS: TOKEN,
      AV_GYM_ADMIN_PASSWORD: 'admin-password-for-tests',
      SEED_DEMO: '0',
      LOG_LEVEL: 'warn',
    },
    /listening on/,
    30_000,
  );
}

function kill(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill('SIGKILL');
  });
}

describe('a desk process with a journal outbox', () => {
  it('loses and doubles nothing of 2,000 check-ins/outs saved offline across its own SIGKILL', async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'av-gym-desk-crash-'));
    dirs.push(dataDir);
    const journal = path.join(dataDir, 'desk', 'desk-crash.outbox');
    const port = await freePort();
    const url = `ws://127.0.0.1:${port}/ws`;

    // the gym's members exist; then the server goes down
    let server = startServer(port, dataDir);
    await server.line;
    const setup = new WebSocketService({
      url,
      token: TOKEN,
      clientId: 'setup',
      WebSocket,
      network: null,
      clientStatsIntervalMs: 0,
    });
    await setup.connect();
    const created = await Promise.all(
      Array.from({ length: MEMBERS }, (_, i) =>
        setup.send('member_create', {
          memberId: `m_crash_${i}`,
          name: `Member ${i}`,
          plan: 'basic',
          expiresAt: '2099-12-31',
        }),
      ),
    );
    expect(created.every((o) => o.ok)).toBe(true);
    await setup.close();
    await kill(server.child);

    const deskArgs = [url, TOKEN, journal, String(MEMBERS), String(OPS_PER_MEMBER)];
    const sender = run([DESK, 'send', ...deskArgs], process.env, /^saved \d+/, 60_000);
    expect(await sender.line).toBe(`saved ${MEMBERS * OPS_PER_MEMBER}`);
    await kill(sender.child); // SIGKILL: nothing flushed, closed or said goodbye

    const resumed = run([DESK, 'resume', ...deskArgs], process.env, /^\{/, 120_000);
    server = startServer(port, dataDir);
    await server.line;
    const summary = JSON.parse(await resumed.line) as {
      restored: number;
      ok: number;
      duplicates: number;
      refused: string[];
    };
    // a refusal would mean a check-out overtook its check-in (NOT_CHECKED_IN) or one applied twice (ALREADY_CHECKED_IN)
    expect(summary).toEqual({
      restored: MEMBERS * OPS_PER_MEMBER,
      ok: MEMBERS * OPS_PER_MEMBER,
      duplicates: 0,
      refused: [],
    });

    const res = await fetch(`http://127.0.0.1:${port}/api/visits?limit=1000`, {
      headers: { authorization: `Bearer ${TOKEN}` },
    });
    const { visits } = (await res.json()) as {
      visits: { id: string; memberId: string; checkedOutAt: number | null }[];
    };
    const visitsTotal = (MEMBERS * OPS_PER_MEMBER) / 2;
    expect(visits).toHaveLength(visitsTotal);
    const perMember = new Map<string, number>();
    for (const v of visits) perMember.set(v.memberId, (perMember.get(v.memberId) ?? 0) + 1);
    expect([...perMember.values()]).toEqual(new Array(MEMBERS).fill(OPS_PER_MEMBER / 2));
    expect(visits.every((v) => v.checkedOutAt !== null)).toBe(true);
    await kill(server.child);
  });
});
