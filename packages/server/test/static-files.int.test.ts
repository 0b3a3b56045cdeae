import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, startServer, type TestServer } from './helpers.js';

describe('dashboard static files', () => {
  let withDashboard: TestServer;
  let without: TestServer;

  beforeAll(async () => {
    without = await startServer();
    const dir = path.join(without.dataDir, 'dashboard-dist');
    mkdirSync(path.join(dir, 'assets'), { recursive: true });
    writeFileSync(path.join(dir, 'index.html'), '<!doctype html><title>AV-Gym</title><div id="root"></div>');
    writeFileSync(path.join(dir, 'assets', 'app.js'), 'console.log("app")');
    withDashboard = await startServer({ staticDir: dir });
  });
  afterAll(async () => {
    await withDashboard.stop();
    await without.stop();
  });

  it('serves index.html at / and for client-side routes, and assets as files', async () => {
    const root = await fetch(`${withDashboard.url}/`);
    expect(root.status).toBe(200);
    expect(root.headers.get('content-type')).toContain('text/html');
    expect(await root.text()).toContain('<title>AV-Gym</title>');
    const route = await fetch(`${withDashboard.url}/members/m_42`);
    expect(route.status).toBe(200);
    expect(await route.text()).toContain('id="root"');
    const asset = await fetch(`${withDashboard.url}/assets/app.js`);
    expect(asset.headers.get('content-type')).toContain('javascript');
  });

  it('keeps JSON 404s for unknown API paths', async () => {
    const r = await api(withDashboard.url, '/api/nothing-here');
    expect(r).toMatchObject({ status: 404, body: { error: 'NOT_FOUND' } });
  });

  it('skips the dashboard cleanly when it is not built', async () => {
    const r = await api(without.url, '/', { token: null });
    expect(r).toMatchObject({ status: 404, body: { error: 'NOT_FOUND' } });
    expect((await api(without.url, '/healthz', { token: null })).status).toBe(200);
  });
});
