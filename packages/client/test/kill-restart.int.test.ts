import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer as createNetServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { type SendOutcome, WebSocketService } from '../src/index.js';

const TOKEN = 'client-kill-token-0123456789';
const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const MEMBERS = 50;
const OPS = 1_000;
const CHUNK = 100;
const KILL_AFTER_CHUNK = 5;

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

/** Runs the real server as a child process (so it can be SIGKILLed) and resolves once it listens. */
function startServer(port: number, dataDir: string): Promise<ChildProcess> {
  const child = spawn(
    process.execPath,
    ['--conditions=av-gym-source', '--import', 'tsx', 'packages/server/src/main.ts'],
    {
      cwd: ROOT,
      env: {
        // the embedded default (SQLite, memory broker) even where CI exports DATABASE_URL/REDIS_URL
        ...withoutScaleOutEnv(process.env),
        PORT: String(port),
        HOST: '127.0.0.1',
        DATA_DIR: dataDir,
        AV_GYM_TOKENS: TOKEN,
        AV_GYM_ADMIN_PASSWORD: 'admin-password-for-tests',
        SEED_DEMO: '0',
        LOG_LEVEL: 'warn',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  children.add(child);
  child.once('exit', () => children.delete(child));
  return new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`server did not start: ${out}`)), 30_000);
    const onData = (chunk: Buffer) => {
      out += chunk.toString();
      if (out.includes('listening on')) {
        clearTimeout(timer);
        resolve(child);
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', (c: Buffer) => {
      out += c.toString();
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${code}: ${out}`));
    });
  });
}

function kill(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill('SIGKILL');
  });
}

const children = new Set<ChildProcess>();
const dirs: string[] = [];
afterAll(async () => {
  for (const c of children) await kill(c);
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

/** 1,000 operations: every member alternates check_in / check_out, members interleaved at random. */
function plan(seed: number): { type: 'check_in' | 'check_out'; memberId: string }[] {
  let s = seed;
  const rand = () => {
    s = (s * 1_103_515_245 + 12_345) % 2_147_483_648;
    return s / 2_147_483_648;
  };
  const next = new Array<number>(MEMBERS).fill(0);
  const perMember = OPS / MEMBERS;
  const ops: { type: 'check_in' | 'check_out'; memberId: string }[] = [];
  while (ops.length < OPS) {
    const m = Math.floor(rand() * MEMBERS);
    const k = next[m] ?? 0;
    if (k >= perMember) continue;
    next[m] = k + 1;
    ops.push({ type: k % 2 === 0 ? 'check_in' : 'check_out', memberId: `m_kill_${m}` });
  }
  return ops;
}

describe('WebSocketService across a server SIGKILL', () => {
  it('ends 1,000 mixed check-ins/outs with every send accepted and every visit stored exactly once', async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'av-gym-client-kill-'));
    dirs.push(dataDir);
    const port = await freePort();
    let server = await startServer(port, dataDir);
    const svc = new WebSocketService({
      url: `ws://127.0.0.1:${port}/ws`,
      token: TOKEN,
      clientId: 'desk-kill',
      WebSocket,
      network: null,
      reconnectBaseDelayMs: 100,
      reconnectMaxDelayMs: 1_000,
      clientStatsIntervalMs: 0,
    });
    try {
      await svc.connect();
      const created = await Promise.all(
        Array.from({ length: MEMBERS }, (_, i) =>
          svc.send('member_create', {
            memberId: `m_kill_${i}`,
            name: `Member ${i}`,
            plan: 'basic',
            expiresAt: '2099-12-31',
          }),
        ),
      );
      expect(created.every((o) => o.ok)).toBe(true);

      const ops = plan(42);
      const outcomes: SendOutcome[] = [];
      let restarted = false;
      for (let c = 0; c < OPS / CHUNK; c++) {
        const chunk = ops
          .slice(c * CHUNK, (c + 1) * CHUNK)
          .map((op) => svc.send(op.type, { memberId: op.memberId }));
        if (c === KILL_AFTER_CHUNK) {
          // let the batcher write its frames, then kill before this process reads any ack:
          // the chunk is in flight; the server may commit part of it before it dies
          for (let i = 0; i < 5; i++) await Promise.resolve();
          const dead = kill(server);
          expect(svc.getMetrics().messages.pending).toBe(CHUNK);
          await dead;
          await new Promise((r) => setTimeout(r, 300));
          server = await startServer(port, dataDir);
          restarted = true;
        }
        outcomes.push(...(await Promise.all(chunk)));
      }
      expect(restarted).toBe(true);
      const refused = outcomes.filter((o) => !o.ok);
      expect(refused).toEqual([]);
      expect(outcomes).toHaveLength(OPS);
      const m = svc.getMetrics();
      expect(m.connection.reconnects).toBeGreaterThanOrEqual(1);
      expect(m.messages.errors).toBeGreaterThan(0); // the frames lost with the connection
      expect(m.messages.pending).toBe(0);

      const res = await fetch(`http://127.0.0.1:${port}/api/visits?limit=1000`, {
        headers: { authorization: `Bearer ${TOKEN}` },
      });
      const { visits } = (await res.json()) as {
        visits: { id: string; memberId: string; checkedOutAt: number | null }[];
      };
      expect(visits).toHaveLength(OPS / 2);
      expect(new Set(visits.map((v) => v.id)).size).toBe(OPS / 2);
      const perMember = new Map<string, number>();
      for (const v of visits) perMember.set(v.memberId, (perMember.get(v.memberId) ?? 0) + 1);
      expect(perMember.size).toBe(MEMBERS);
      expect([...perMember.values()].every((n) => n === OPS / MEMBERS / 2)).toBe(true);
      expect(visits.every((v) => v.checkedOutAt !== null)).toBe(true);
    } finally {
      await svc.close();
      await kill(server);
    }
  });
});

function withoutScaleOutEnv(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return Object.fromEntries(
    Object.entries(env).filter(([key]) => key !== 'DATABASE_URL' && key !== 'REDIS_URL'),
  );
}
