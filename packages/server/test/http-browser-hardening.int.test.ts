import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { MemberList } from '@av-gym/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkAnswer } from './api-json.js';
import { API_TOKEN, startServer, type TestServer } from './helpers.js';

/** A dist laid out as Vite builds it: index.html naming hashed files under assets/, with maps. */
function fakeDist(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'av-gym-dist-'));
  mkdirSync(path.join(dir, 'assets'));
  writeFileSync(
    path.join(dir, 'index.html'),
    '<!doctype html><html><head><script type="module" crossorigin src="/assets/index-Ab12Cd34.js"></script>' +
      '<link rel="stylesheet" crossorigin href="/assets/index-Ef56Gh78.css"></head><body><div id="root"></div></body></html>',
  );
  writeFileSync(
    path.join(dir, 'assets', 'index-Ab12Cd34.js'),
    `${'export const desk = "front desk";\n'.repeat(200)}//# sourceMappingURL=index-Ab12Cd34.js.map\n`,
  );
  writeFileSync(
    path.join(dir, 'assets', 'index-Ab12Cd34.js.map'),
    '{"version":3,"sources":["src/secret.ts"]}',
  );
  writeFileSync(
    path.join(dir, 'assets', 'index-Ef56Gh78.css'),
    `${'.card { padding: 1rem; }\n'.repeat(100)}`,
  );
  return dir;
}

const directives = (csp: string | null) =>
  new Map(
    (csp ?? '')
      .split(';')
      .map((d) => d.trim().split(/\s+/))
      .filter((parts) => parts[0])
      .map(([name, ...values]) => [name as string, values]),
  );

describe('browser hardening', () => {
  const dist = fakeDist();
  let t: TestServer;
  let withMaps: TestServer;

  beforeAll(async () => {
    t = await startServer({ staticDir: dist, seedDemo: true });
    withMaps = await startServer({ staticDir: dist, serveSourceMaps: true });
  });
  afterAll(async () => {
    await t.stop();
    await withMaps.stop();
    rmSync(dist, { recursive: true, force: true });
  });

  describe('security headers', () => {
    it('sends a CSP that allows only own scripts and styles, own-origin WebSockets and no framing', async () => {
      const res = await fetch(`${t.url}/`);
      expect(res.status).toBe(200);
      const csp = directives(res.headers.get('content-security-policy'));
      const host = new URL(t.url).host;
      expect(csp.get('default-src')).toEqual(["'self'"]);
      expect(csp.get('script-src')).toEqual(["'self'"]);
      expect(csp.get('style-src')).toEqual(["'self'"]);
      expect(csp.get('object-src')).toEqual(["'none'"]);
      expect(csp.get('frame-ancestors')).toEqual(["'none'"]);
      expect(csp.get('connect-src')).toEqual(["'self'", `ws://${host}`, `wss://${host}`]);
      expect(csp.has('upgrade-insecure-requests')).toBe(false);
      expect(res.headers.get('x-frame-options')).toBe('DENY');
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      expect(res.headers.get('referrer-policy')).toBe('no-referrer');
    });

    it('sends them on API answers and errors too', async () => {
      for (const res of [
        await fetch(`${t.url}/api/occupancy`, { headers: { authorization: `Bearer ${API_TOKEN}` } }),
        await fetch(`${t.url}/api/occupancy`),
        await fetch(`${t.url}/api/nothing`),
      ]) {
        expect(res.headers.get('x-content-type-options')).toBe('nosniff');
        expect(res.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
      }
    });

    it('never names a Host header that could smuggle CSP sources', async () => {
      const { request } = await import('node:http');
      const csp = await new Promise<string>((resolve, reject) => {
        const req = request(
          `${t.url}/`,
          { headers: { host: "evil.example; script-src 'unsafe-inline'" } },
          (res) => {
            res.resume();
            resolve(String(res.headers['content-security-policy']));
          },
        );
        req.on('error', reject);
        req.end();
      });
      expect(csp).not.toContain('evil.example');
      expect(directives(csp).get('script-src')).toEqual(["'self'"]);
    });

    it('leaves no inline script in the dashboard page it serves', () => {
      const source = readFileSync(new URL('../../../apps/dashboard/index.html', import.meta.url), 'utf8');
      for (const html of [source, readFileSync(path.join(dist, 'index.html'), 'utf8')]) {
        const scripts = [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/g)];
        expect(scripts.length).toBeGreaterThan(0);
        for (const [, attributes, body] of scripts) {
          expect(attributes).toMatch(/\bsrc=/);
          expect(body?.trim()).toBe('');
        }
        expect(html).not.toMatch(/<style\b|\son[a-z]+=/i);
      }
    });
  });

  describe('compression', () => {
    it('sends scripts and styles with brotli or gzip, as the browser asks', async () => {
      for (const [file, type] of [
        ['/assets/index-Ab12Cd34.js', 'javascript'],
        ['/assets/index-Ef56Gh78.css', 'text/css'],
      ] as const) {
        const br = await fetch(t.url + file, { headers: { 'accept-encoding': 'br' } });
        expect(br.headers.get('content-encoding')).toBe('br');
        expect(br.headers.get('content-type')).toContain(type);
        expect(await br.text()).toContain(file.endsWith('.js') ? 'front desk' : '.card');
        const gzip = await fetch(t.url + file, { headers: { 'accept-encoding': 'gzip' } });
        expect(gzip.headers.get('content-encoding')).toBe('gzip');
        const plain = await fetch(t.url + file, { headers: { 'accept-encoding': 'identity' } });
        expect(plain.headers.get('content-encoding')).toBeNull();
      }
    });

    it('sends large JSON answers and the metrics text gzipped', async () => {
      const res = await fetch(`${t.url}/api/members?limit=100`, {
        headers: { authorization: `Bearer ${API_TOKEN}`, 'accept-encoding': 'gzip' },
      });
      expect(res.status).toBe(200);
      expect(res.headers.get('content-encoding')).toBe('gzip');
      expect(checkAnswer(MemberList, res.status, await res.json()).members).toHaveLength(100);
      const metrics = await fetch(`${t.url}/metrics`, { headers: { 'accept-encoding': 'gzip' } });
      expect(metrics.headers.get('content-encoding')).toBe('gzip');
      expect(await metrics.text()).toContain('avgym_connections_open');
    });
  });

  describe('caching', () => {
    it('caches hashed assets for a year and revalidates the page', async () => {
      const asset = await fetch(`${t.url}/assets/index-Ab12Cd34.js`);
      expect(asset.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
      for (const p of ['/', '/index.html', '/members/m_1']) {
        const page = await fetch(t.url + p);
        expect(page.status, p).toBe(200);
        expect(page.headers.get('cache-control'), p).toBe('no-cache');
      }
    });
  });

  describe('source maps', () => {
    it('answers 404 for *.map unless SERVE_SOURCE_MAPS is set', async () => {
      const hidden = await fetch(`${t.url}/assets/index-Ab12Cd34.js.map`);
      expect(hidden.status).toBe(404);
      expect(await hidden.text()).not.toContain('secret.ts');
      const served = await fetch(`${withMaps.url}/assets/index-Ab12Cd34.js.map`);
      expect(served.status).toBe(200);
      expect(await served.text()).toContain('secret.ts');
    });
  });
});
