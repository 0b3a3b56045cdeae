import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from './helpers.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const dashboardFile = path.resolve(here, '../../../deploy/grafana/av-gym.json');

interface Dashboard {
  uid: string;
  panels: { title: string; targets: { expr: string }[] }[];
}

describe('deploy/grafana/av-gym.json', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer();
  });
  afterAll(async () => {
    await server.stop();
  });

  it('queries only metrics a running server exports', async () => {
    const dashboard = JSON.parse(readFileSync(dashboardFile, 'utf8')) as Dashboard;
    expect(dashboard.uid).toBe('av-gym-realtime');
    const exported = await (await fetch(`${server.url}/metrics`)).text();
    const families = new Set(
      [...exported.matchAll(/^# TYPE (\S+) (\S+)$/gm)].flatMap(([, name, type]) =>
        type === 'histogram' ? [`${name}_bucket`, `${name}_sum`, `${name}_count`] : [name as string],
      ),
    );
    const used = new Set(
      dashboard.panels.flatMap((p) =>
        p.targets.flatMap((t) => [...t.expr.matchAll(/\bavgym_[a-z_]+/g)].map((m) => m[0])),
      ),
    );
    expect(used.size).toBeGreaterThan(10);
    const missing = [...used].filter((name) => !families.has(name));
    expect(missing).toEqual([]);
  });
});
