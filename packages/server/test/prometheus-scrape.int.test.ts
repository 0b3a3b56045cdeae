import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer, until } from './helpers.js';
import { freePort } from './scale-out-harness.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const rulesDir = path.resolve(here, '../../../deploy/prometheus');

function which(binary: string): string | undefined {
  try {
    return execFileSync('sh', ['-c', `command -v ${binary}`], { encoding: 'utf8' }).trim() || undefined;
  } catch {
    return undefined;
  }
}

const prometheusBin = which('prometheus');
// CI installs Debian's prometheus package (.ci/run); elsewhere the test says why it skips.
const skip = prometheusBin === undefined && !process.env.CI;

interface PromAnswer {
  status: string;
  data: { result: { metric: Record<string, string>; value: [number, string] }[] };
}

describe.skipIf(skip)('a real Prometheus scrapes a running server', () => {
  let server: TestServer;
  let prometheus: ChildProcess;
  let promUrl: string;
  let dir: string;
  let output = '';

  beforeAll(async () => {
    if (!prometheusBin)
      throw new Error('prometheus is not installed (apt-get install prometheus); CI needs it');
    server = await startServer({ gymCapacity: 137 });
    dir = mkdtempSync(path.join(tmpdir(), 'av-gym-prometheus-'));
    const target = new URL(server.url).host;
    const config = [
      'global:',
      '  scrape_interval: 1s',
      '  evaluation_interval: 1s',
      'rule_files:',
      `  - ${path.join(rulesDir, 'recording.yml')}`,
      `  - ${path.join(rulesDir, 'alerts.yml')}`,
      'scrape_configs:',
      '  - job_name: av-gym',
      '    static_configs:',
      `      - targets: ['${target}']`,
    ].join('\n');
    writeFileSync(path.join(dir, 'prometheus.yml'), config);
    const port = await freePort();
    promUrl = `http://127.0.0.1:${port}`;
    prometheus = spawn(
      prometheusBin,
      [
        `--config.file=${path.join(dir, 'prometheus.yml')}`,
        `--storage.tsdb.path=${path.join(dir, 'data')}`,
        `--web.listen-address=127.0.0.1:${port}`,
        '--storage.tsdb.retention.time=1h',
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    prometheus.stdout?.on('data', (c: Buffer) => (output += c.toString()));
    prometheus.stderr?.on('data', (c: Buffer) => (output += c.toString()));
    await until(
      async () => (await fetch(`${promUrl}/-/ready`).catch(() => undefined))?.ok === true,
      30_000,
    ).catch(() => {
      throw new Error(`prometheus did not become ready: ${output.slice(-2000)}`);
    });
  }, 60_000);

  afterAll(async () => {
    if (prometheus && prometheus.exitCode === null) {
      const exited = new Promise((r) => prometheus.once('exit', r));
      prometheus.kill('SIGTERM');
      await Promise.race([exited, new Promise((r) => setTimeout(r, 10_000))]);
      if (prometheus.exitCode === null) prometheus.kill('SIGKILL');
    }
    await server?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const query = async (expr: string): Promise<PromAnswer> => {
    const res = await fetch(`${promUrl}/api/v1/query?query=${encodeURIComponent(expr)}`);
    return (await res.json()) as PromAnswer;
  };

  it('reads the capacity gauge back through PromQL, and loads the alert and recording rules', async () => {
    let value: string | undefined;
    await until(async () => {
      const r = await query('avgym_occupancy_capacity{job="av-gym"}');
      value = r.data.result[0]?.value[1];
      return value !== undefined;
    }, 30_000);
    expect(value).toBe('137');
    const up = await query('up{job="av-gym"}');
    expect(up.data.result[0]?.value[1]).toBe('1');
    const rules = (await (await fetch(`${promUrl}/api/v1/rules`)).json()) as {
      data: { groups: { name: string; rules: { health: string; name: string }[] }[] };
    };
    const names = rules.data.groups.map((g) => g.name).sort();
    expect(names).toEqual(['av-gym', 'av-gym-recording']);
    const health = rules.data.groups.flatMap((g) => g.rules.map((r) => r.health));
    expect(health.every((h) => h === 'ok' || h === 'unknown')).toBe(true);
  }, 60_000);
});

describe.runIf(skip)('a real Prometheus scrapes a running server', () => {
  it.skip('needs the prometheus binary (Debian: apt-get install prometheus); skipped outside CI', () => {});
});
