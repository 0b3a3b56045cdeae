import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { CLOSE_CODES } from '@av-gym/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_PASSWORD, API_TOKEN, TestClient } from './helpers.js';

const repoRoot = fileURLToPath(new URL('../../..', import.meta.url));
const FILE_TOKEN_A = 'file-token-a-0123456789';
const FILE_TOKEN_B = 'file-token-b-0123456789';

describe('SIGHUP re-reads the API tokens (server process started the README way)', () => {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'av-gym-sighup-'));
  const tokensFile = path.join(dataDir, 'tokens');
  let child: ChildProcess;
  let wsUrl = '';
  let output = '';
  const clients: TestClient[] = [];
  const desk = async (token: string) => {
    const client = new TestClient(wsUrl);
    clients.push(client);
    await client.hello({ token, clientId: `desk-${clients.length}` });
    return client;
  };
  const stillServes = async (client: TestClient) => {
    const from = client.frames.length;
    client.send({ type: 'ping', ts: 1 });
    await client.next((f) => f.type === 'pong', 5_000, from);
  };
  const hangUp = () => {
    const from = output.length;
    child.kill('SIGHUP');
    return from;
  };
  const logged = async (pattern: RegExp, from: number) => {
    const deadline = Date.now() + 5_000;
    while (!pattern.test(output.slice(from))) {
      if (Date.now() > deadline) throw new Error(`no log line ${pattern} in: ${output.slice(from)}`);
      await new Promise((r) => setTimeout(r, 20));
    }
  };

  beforeAll(async () => {
    writeFileSync(tokensFile, `# desks\n${FILE_TOKEN_A}\n${FILE_TOKEN_B}\n`);
    child = spawn(
      process.execPath,
      ['--conditions=av-gym-source', '--import', 'tsx', 'packages/server/src/main.ts'],
      {
        cwd: repoRoot,
        env: {
          ...process.env,
          PORT: '0',
          HOST: '127.0.0.1',
          DATA_DIR: dataDir,
          AV_GYM_TOKENS: API_TOKEN,
          AV_GYM_TOKENS_FILE: tokensFile,
          AV_GYM_ADMIN_PASSWORD: ADMIN_PASSWORD,
          SEED_DEMO: '0',
          LOG_LEVEL: 'info',
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    const deadline = Date.now() + 30_000;
    for (;;) {
      const m = /listening on (http:\/\/[^\s]+)/.exec(output);
      if (m) {
        wsUrl = `${(m[1] as string).replace(/^http/, 'ws')}/ws`;
        break;
      }
      if (child.exitCode !== null || Date.now() > deadline)
        throw new Error(`server did not start: ${output}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }, 40_000);

  afterAll(async () => {
    for (const c of clients) await c.close();
    if (child && child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
    }
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('accepts the tokens of AV_GYM_TOKENS and of the file at start', async () => {
    for (const token of [API_TOKEN, FILE_TOKEN_A, FILE_TOKEN_B]) await stillServes(await desk(token));
  });

  it('closes the sockets of a token removed from the file with 4401 within 1 s of SIGHUP', async () => {
    const [a, b, env] = [await desk(FILE_TOKEN_A), await desk(FILE_TOKEN_B), await desk(API_TOKEN)];
    writeFileSync(tokensFile, `${FILE_TOKEN_B}\n`);
    const sentAt = Date.now();
    const from = hangUp();
    const { code } = await a.closed;
    expect(code).toBe(CLOSE_CODES.UNAUTHENTICATED);
    expect(Date.now() - sentAt).toBeLessThan(1_000);
    await logged(/API tokens re-read/, from);
    await stillServes(b);
    await stillServes(env);
    const again = new TestClient(wsUrl);
    clients.push(again);
    await again.opened;
    again.send({ type: 'hello', token: FILE_TOKEN_A, clientId: 'again' });
    expect((await again.closed).code).toBe(CLOSE_CODES.UNAUTHENTICATED);
  });

  it('keeps the current tokens when the file has become invalid, and stays up', async () => {
    const b = await desk(FILE_TOKEN_B);
    writeFileSync(tokensFile, 'short\n');
    const from = hangUp();
    await logged(/API tokens not re-read/, from);
    expect(child.exitCode).toBeNull();
    await stillServes(b);
    await stillServes(await desk(FILE_TOKEN_B));
  });
});
