import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { API_TOKEN, memberCreate, newId, TestClient } from './helpers.js';

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
/** Small, so that a client can fall out of the window with a handful of writes. */
const HISTORY = 16;

interface Child {
  child: ChildProcess;
  wsUrl: string;
  exited: Promise<void>;
}

/** `main.ts` as a child process on the embedded default (SQLite in `dataDir`, in-process broker). */
function spawnServer(dataDir: string): Promise<Child> {
  const child = spawn(
    process.execPath,
    ['--conditions=av-gym-source', '--import', 'tsx', 'packages/server/src/main.ts'],
    {
      cwd: repoRoot,
      env: {
        ...Object.fromEntries(
          Object.entries(process.env).filter(([key]) => key !== 'DATABASE_URL' && key !== 'REDIS_URL'),
        ),
        PORT: '0',
        DATA_DIR: dataDir,
        AV_GYM_TOKENS: API_TOKEN,
        AV_GYM_ADMIN_PASSWORD: 'admin-password-for-tests',
        SEED_DEMO: '0',
        LOG_LEVEL: 'warn',
        EVENT_HISTORY_SIZE: String(HISTORY),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let out = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start in 30 s: ${out}`)), 30_000);
    const onData = (chunk: Buffer) => {
      out += chunk.toString();
      const m = /listening on (http:\/\/[^\s]+)/.exec(out);
      if (!m?.[1]) return;
      clearTimeout(timer);
      resolve({ child, wsUrl: `${m[1].replace(/^http/, 'ws')}/ws`, exited });
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`server exited (${code}) before listening: ${out}`));
    });
  });
}

type Frame = Record<string, unknown>;
const seqOf = (e: Frame) => e.seq as number;
/** An event as both sides must agree on it (`at` is the commit's clock live, the transaction's replayed). */
const shape = (e: Frame) => ({ seq: e.seq, topic: e.topic, name: e.name, data: e.data });

/** Waits until the events `c` received (from `event` and `events` frames alike) satisfy `check`. */
async function untilEvents(c: TestClient, check: (events: Frame[]) => boolean): Promise<Frame[]> {
  await c.next(() => check(c.events()), 10_000);
  return c.events();
}

async function write(desk: TestClient, seq: number, batches: Record<string, unknown[]>): Promise<void> {
  desk.send({ type: 'batch', seq, batches });
  const ack = await desk.next((f) => f.type === 'ack' && f.seq === seq, 15_000);
  for (const r of Object.values(ack.results as Record<string, { rejected?: unknown[] }>))
    expect(r.rejected ?? []).toEqual([]);
}

describe('resume across a crash (SQLite, the embedded default)', () => {
  const cleanups: (() => void | Promise<void>)[] = [];
  afterEach(async () => {
    for (const c of cleanups.splice(0).reverse()) await c();
  });

  it('a dashboard that left before a SIGKILL resumes after the restart with exactly the missed events', async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'av-gym-resume-restart-'));
    cleanups.push(() => rmSync(dataDir, { recursive: true, force: true }));
    let server = await spawnServer(dataDir);
    cleanups.push(async () => {
      if (server.child.exitCode === null && server.child.signalCode === null) server.child.kill('SIGKILL');
      await server.exited;
    });
    const open = async (hello: Record<string, unknown> = {}) => {
      const c = new TestClient(server.wsUrl);
      cleanups.push(() => c.close());
      return { client: c, welcome: await c.hello({ topics: ['*'], ...hello }) };
    };

    // A desk makes events; a dashboard sees them, then goes away (a closed laptop).
    const { client: desk } = await open({ clientId: 'desk-1' });
    const members = ['m_r1', 'm_r2', 'm_r3', 'm_r4', 'm_r5', 'm_r6'];
    await write(desk, 1, { member_create: members.slice(0, 3).map((m) => memberCreate(m)) });
    const { client: dashboard } = await open({ clientId: 'dashboard' });
    const { client: watcher } = await open({ clientId: 'watcher' });
    await write(desk, 2, { check_in: [{ id: newId('in'), data: { memberId: 'm_r1' } }] });
    const seen = await untilEvents(dashboard, (events) => events.some((e) => e.name === 'occupancy.changed'));
    const lastEventSeq = seqOf(seen.at(-1) as Frame);
    expect(seen.map(seqOf)).toEqual([4, 5]);
    await dashboard.close();

    // While it is away: five more check-ins (one transaction each), then the server is killed.
    await write(desk, 3, { member_create: members.slice(3).map((m) => memberCreate(m)) });
    for (const [i, memberId] of ['m_r2', 'm_r3', 'm_r4', 'm_r5', 'm_r6'].entries())
      await write(desk, 4 + i, { check_in: [{ id: newId('in'), data: { memberId } }] });
    const newest = lastEventSeq + 3 + 5 * 2;
    await untilEvents(watcher, (events) => events.some((e) => e.seq === newest));
    const missed = watcher.events().filter((e) => seqOf(e) > lastEventSeq);
    expect(missed.map(seqOf)).toEqual(
      Array.from({ length: newest - lastEventSeq }, (_, i) => lastEventSeq + 1 + i),
    );
    server.child.kill('SIGKILL');
    await server.exited;
    server = await spawnServer(dataDir);

    // Back with resume: resumed, and the missed events once each, in order, before anything newer.
    const { client: back, welcome } = await open({ clientId: 'dashboard', resume: { lastEventSeq } });
    expect(welcome).toMatchObject({ resumed: true, eventSeq: newest });
    await back.next(
      (f) => (f.type === 'event' || f.type === 'events') && back.events().length >= missed.length,
    );
    const { client: desk2 } = await open({ clientId: 'desk-2' });
    await write(desk2, 1, { member_create: [memberCreate('m_after')] });
    const replayed = await untilEvents(back, (events) => events.some((e) => e.seq === newest + 1));
    expect(replayed.map(shape)).toEqual([...missed.map(shape), expect.objectContaining({ seq: newest + 1 })]);

    // Past the window (HISTORY events): resumed false, nothing replayed; a seq from the future too.
    for (const past of [0, newest + 1 - HISTORY - 1]) {
      const { client, welcome: w } = await open({ clientId: `old-${past}`, resume: { lastEventSeq: past } });
      expect(w).toMatchObject({ resumed: false, eventSeq: newest + 1 });
      expect(client.events()).toEqual([]);
    }
    const { welcome: inside } = await open({
      clientId: 'edge',
      resume: { lastEventSeq: newest + 1 - HISTORY },
    });
    expect(inside).toMatchObject({ resumed: true });
    const { welcome: ahead } = await open({ clientId: 'ahead', resume: { lastEventSeq: newest + 50 } });
    expect(ahead).toMatchObject({ resumed: false });
  });
});
