import http from 'node:http';
import { SessionToken } from '@av-gym/protocol';
import { afterEach, describe, expect, it } from 'vitest';
import type { LoginLimits } from '../src/http/login-throttle.js';
import { checkAnswer, checkError } from './api-json.js';
import { ADMIN_PASSWORD, startServer, type TestServer } from './helpers.js';

interface LoginAnswer {
  status: number;
  retryAfter: string | undefined;
  body: Record<string, unknown>;
}

/** POST /api/session from a chosen loopback address (127.0.0.x), so request.ip differs per caller. */
function login(url: string, from: string, username: string, password: string): Promise<LoginAnswer> {
  const payload = JSON.stringify({ username, password });
  return new Promise((resolve, reject) => {
    const req = http.request(
      `${url}/api/session`,
      {
        method: 'POST',
        localAddress: from,
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          text += chunk;
        });
        res.on('end', () => {
          const retryAfter = res.headers['retry-after'];
          const status = res.statusCode ?? 0;
          const json: unknown = JSON.parse(text);
          try {
            // a token or an error body, each as the protocol declares it
            const body = status === 200 ? checkAnswer(SessionToken, status, json) : checkError(status, json);
            resolve({ status, retryAfter, body });
          } catch (err) {
            reject(err);
          }
        });
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

async function refusedTotal(url: string, code: string): Promise<number> {
  const text = await (await fetch(`${url}/metrics`)).text();
  const line = text.split('\n').find((l) => l.startsWith(`avgym_http_refused_total{code="${code}"}`));
  return Number(line?.split(' ')[1] ?? Number.NaN);
}

const limits = (overrides: Partial<LoginLimits> = {}): LoginLimits => ({
  maxFailures: 5,
  maxFailuresPerIp: 20,
  lockoutMs: 1000,
  maxLockoutMs: 900_000,
  trackedKeys: 10_000,
  ...overrides,
});

describe('login limits', () => {
  let t: TestServer | undefined;
  afterEach(async () => {
    await t?.stop();
    t = undefined;
  });

  it('answers 300 wrong passwords in a row with 429 and Retry-After after the first five', async () => {
    t = await startServer({ loginLimits: limits({ lockoutMs: 10_000 }) });
    const answers: LoginAnswer[] = [];
    for (let i = 0; i < 300; i++) answers.push(await login(t.url, '127.0.0.1', 'admin', `wrong-${i}`));
    const statuses = answers.map((a) => a.status);
    expect(statuses.slice(0, 5)).toEqual([401, 401, 401, 401, 401]);
    const refused = answers.filter((a) => a.status === 429);
    expect(refused.length).toBe(295);
    for (const a of refused) {
      expect(a.body).toMatchObject({ error: 'TOO_MANY_ATTEMPTS' });
      expect(Number(a.retryAfter)).toBeGreaterThanOrEqual(1);
      expect(Number(a.retryAfter)).toBeLessThanOrEqual(10);
    }
    expect(await refusedTotal(t.url, 'TOO_MANY_ATTEMPTS')).toBe(refused.length);
    expect(await refusedTotal(t.url, 'BAD_CREDENTIALS')).toBe(300 - refused.length);
  });

  it('locks the name, not the desk: the right password waits too, from any address, until the wait is over', async () => {
    t = await startServer({ loginLimits: limits({ lockoutMs: 300 }) });
    for (let i = 0; i < 5; i++) expect((await login(t.url, '127.0.0.2', 'admin', 'guess')).status).toBe(401);
    const locked = await login(t.url, '127.0.0.3', 'admin', ADMIN_PASSWORD);
    expect(locked.status).toBe(429);
    expect(locked.retryAfter).toBe('1');
    await new Promise((r) => setTimeout(r, 350));
    const ok = await login(t.url, '127.0.0.3', 'admin', ADMIN_PASSWORD);
    expect(ok.status).toBe(200);
    expect(ok.body.token).toEqual(expect.any(String));
    // the success cleared the name's count: five fresh failures before the next wait
    for (let i = 0; i < 5; i++) expect((await login(t.url, '127.0.0.2', 'admin', 'guess')).status).toBe(401);
    expect((await login(t.url, '127.0.0.2', 'admin', 'guess')).status).toBe(429);
  });

  it('makes an address that sprays usernames wait, while another address still logs in', async () => {
    t = await startServer({ loginLimits: limits({ lockoutMs: 10_000 }) });
    const sprayed: number[] = [];
    for (let i = 0; i < 60; i++) sprayed.push((await login(t.url, '127.0.0.4', `user-${i}`, 'guess')).status);
    expect(sprayed.slice(0, 20).every((s) => s === 401)).toBe(true);
    expect(sprayed.slice(20).every((s) => s === 429)).toBe(true);
    expect((await login(t.url, '127.0.0.4', 'admin', ADMIN_PASSWORD)).status).toBe(429);
    expect((await login(t.url, '127.0.0.5', 'admin', ADMIN_PASSWORD)).status).toBe(200);
  });

  it('lets at most the free failures through when guesses arrive at once', async () => {
    t = await startServer({ loginLimits: limits({ lockoutMs: 10_000 }) });
    const url = t.url;
    const answers = await Promise.all(
      Array.from({ length: 40 }, (_, i) => login(url, '127.0.0.6', 'admin', `parallel-${i}`)),
    );
    expect(answers.filter((a) => a.status === 401).length).toBe(5);
    expect(answers.filter((a) => a.status === 429).length).toBe(35);
  });
});
