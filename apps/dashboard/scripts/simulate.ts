import { parseArgs } from 'node:util';
import { runTraffic, type TrafficProgress } from './traffic.js';

/**
 * `npm run simulate -- --desks 5 --rate 20 --duration 60 [--url http://127.0.0.1:8080]
 * [--token T | --password P]`: realistic desk traffic against a running server.
 */
const USAGE =
  'usage: npm run simulate -- --desks 5 --rate 20 --duration 60 [--url http://127.0.0.1:8080] [--token T | --password P]';

function positiveNumber(name: string, raw: string, max: number): number {
  const value = Number(raw);
  if (!Number.isFinite(value) || value <= 0 || value > max) {
    throw new Error(`--${name} must be a number in (0, ${max}], got ${raw}\n${USAGE}`);
  }
  return value;
}

async function login(baseUrl: string, password: string): Promise<string> {
  const res = await fetch(`${baseUrl}/api/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'admin', password }),
  });
  if (!res.ok)
    throw new Error(`login as admin failed: HTTP ${res.status}; check --password or AV_GYM_ADMIN_PASSWORD`);
  return ((await res.json()) as { token: string }).token;
}

function line(p: TrafficProgress): string {
  const hh = Math.floor(p.hour);
  const mm = Math.floor((p.hour - hh) * 60);
  const refused = Object.values(p.refused).reduce((a, b) => a + b, 0);
  return (
    `[${String(hh).padStart(2, '0')}:${String(mm).padStart(2, '0')} gym time] ${(p.elapsedMs / 1000).toFixed(0)} s` +
    ` | sent ${p.sent} | accepted ${p.accepted} | refused ${refused} | in flight ${p.inFlight} | inside ${p.inside}`
  );
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      desks: { type: 'string', default: '5' },
      rate: { type: 'string', default: '20' },
      duration: { type: 'string', default: '60' },
      url: { type: 'string', default: process.env.AV_GYM_URL ?? 'http://127.0.0.1:8080' },
      token: { type: 'string' },
      password: { type: 'string' },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  const desks = Math.round(positiveNumber('desks', values.desks, 200));
  const ratePerSec = positiveNumber('rate', values.rate, 5_000);
  const durationMs = positiveNumber('duration', values.duration, 3_600) * 1000;
  const baseUrl = values.url.replace(/\/+$/, '');
  const password = values.password ?? process.env.AV_GYM_ADMIN_PASSWORD;
  const token = values.token ?? (password ? await login(baseUrl, password) : undefined);
  if (!token) throw new Error(`give --token, --password or AV_GYM_ADMIN_PASSWORD\n${USAGE}`);

  const abort = new AbortController();
  process.once('SIGINT', () => abort.abort());
  process.stdout.write(
    `simulating ${desks} desks at up to ${ratePerSec}/s for ${durationMs / 1000} s against ${baseUrl}\n`,
  );
  const tty = process.stdout.isTTY;
  const result = await runTraffic({
    baseUrl,
    token,
    desks,
    ratePerSec,
    durationMs,
    signal: abort.signal,
    onProgress: (p) => process.stdout.write(tty ? `\r${line(p)}   ` : `${line(p)}\n`),
  });
  if (tty) process.stdout.write('\n');
  const refused = Object.entries(result.refused)
    .map(([code, n]) => `${code} ${n}`)
    .join(', ');
  process.stdout.write(
    `done in ${(result.elapsedMs / 1000).toFixed(1)} s: ${result.sent} actions, ${result.accepted} accepted, ` +
      `refused: ${refused || 'none'}; ${result.inFlight} unanswered; ${result.inside} members inside\n`,
  );
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
  process.exitCode = 1;
});
