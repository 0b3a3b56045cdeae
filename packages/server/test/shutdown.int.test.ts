import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { API_TOKEN, api, memberCreate, startServer, TestClient } from './helpers.js';

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));

/** Starts `main.ts` as a child process and resolves with its URL once it prints it. */
function spawnServer(dataDir: string): Promise<{ child: ChildProcess; url: string; output: () => string }> {
  const child = spawn(
    process.execPath,
    ['--conditions=av-gym-source', '--import', 'tsx', 'packages/server/src/main.ts'],
    {
      cwd: repoRoot,
      env: {
        // the embedded default (SQLite, memory broker) even where CI exports DATABASE_URL/REDIS_URL
        ...withoutScaleOutEnv(process.env),
        PORT: '0',
        DATA_DIR: dataDir,
        AV_GYM_TOKENS: API_TOKEN,
        SEED_DEMO: '0',
        LOG_LEVEL: 'warn',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let out = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start: ${out}`)), 30_000);
    const onData = (chunk: Buffer) => {
      out += chunk.toString();
      const m = /listening on (http:\/\/[^\s]+)/.exec(out);
      if (m?.[1]) {
        clearTimeout(timer);
        resolve({ child, url: m[1], output: () => out });
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', (code) => reject(new Error(`server exited early (${code}): ${out}`)));
  });
}

describe('graceful shutdown', () => {
  const cleanups: (() => void | Promise<void>)[] = [];
  afterEach(async () => {
    for (const c of cleanups.splice(0)) await c();
  });

  it('on SIGTERM answers the in-flight batch, sends the reconnect hint, closes clients with 1012 and exits 0', async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'av-gym-sigterm-'));
    cleanups.push(() => rmSync(dataDir, { recursive: true, force: true }));
    const { child, url, output } = await spawnServer(dataDir);
    cleanups.push(() => {
      if (child.exitCode === null) child.kill('SIGKILL');
    });
    expect(output()).toContain('created staff account admin with password');
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    const c = new TestClient(`${url.replace(/^http/, 'ws')}/ws`);
    cleanups.push(() => c.close());
    await c.hello();
    const items = Array.from({ length: 300 }, (_, i) => memberCreate(`m_term_${i}`));
    await new Promise<void>((resolve, reject) =>
      c.ws.send(JSON.stringify({ type: 'batch', seq: 1, batches: { member_create: items } }), (err) =>
        err ? reject(err) : resolve(),
      ),
    );
    child.kill('SIGTERM');
    const ack = await c.next((f) => f.type === 'ack' && f.seq === 1, 15_000);
    expect((ack.results as Record<string, { accepted: string[] }>).member_create?.accepted).toHaveLength(300);
    expect((await c.closed).code).toBe(1012);
    // the hint comes after the ack (every batch answered first), with the default window
    const goaway = c.frames.findIndex((f) => f.type === 'goaway');
    expect(goaway).toBeGreaterThan(c.frames.indexOf(ack));
    expect(c.frames[goaway]).toEqual({ type: 'goaway', reconnectMinMs: 500, reconnectMaxMs: 5000 });
    expect(await exited).toBe(0);
  });

  it('in process, close() answers what is in flight, says 1012 and stops listening', async () => {
    const t = await startServer();
    cleanups.push(() => t.stop());
    const c = new TestClient(t.wsUrl);
    cleanups.push(() => c.close());
    await c.hello();
    c.send({ type: 'batch', seq: 1, batches: { member_create: [memberCreate('m_close')] } });
    const closing = t.server.close();
    const ack = await c.next((f) => f.type === 'ack' && f.seq === 1);
    expect((ack.results as Record<string, { accepted: string[] }>).member_create?.accepted).toHaveLength(1);
    expect((await c.closed).code).toBe(1012);
    await closing;
    expect((await fetch(`${t.url}/healthz`).catch(() => undefined))?.status).toBeUndefined();
  });

  it('answers /readyz 503 draining first, while the open session still works, for DRAIN_READY_DELAY_MS', async () => {
    const t = await startServer({
      drain: { readyDelayMs: 1_500, timeoutMs: 30_000, reconnectMinMs: 500, reconnectMaxMs: 5_000 },
    });
    cleanups.push(() => t.stop());
    const c = new TestClient(t.wsUrl);
    cleanups.push(() => c.close());
    await c.hello();
    expect((await api(t.url, '/readyz')).status).toBe(200);
    const closing = t.server.close();
    const ready = await api(t.url, '/readyz');
    expect(ready).toEqual({
      status: 503,
      body: { ready: false, database: 'up', broker: 'up', draining: true },
    });
    // still serving the desks it has while the balancer moves new ones away
    c.send({ type: 'batch', seq: 1, batches: { member_create: [memberCreate('m_during_delay')] } });
    const ack = await c.next((f) => f.type === 'ack' && f.seq === 1);
    expect((ack.results as Record<string, { accepted: string[] }>).member_create?.accepted).toHaveLength(1);
    expect((await c.closed).code).toBe(1012);
    await closing;
  });
});

function withoutScaleOutEnv(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return Object.fromEntries(
    Object.entries(env).filter(([key]) => key !== 'DATABASE_URL' && key !== 'REDIS_URL'),
  );
}
