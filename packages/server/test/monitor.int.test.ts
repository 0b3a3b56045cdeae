import { AlertList, HistoryDocument, NodeList } from '@av-gym/protocol';
import { afterEach, describe, expect, it } from 'vitest';
import { apiError, apiJson } from './api-json.js';
import { startServer, TestClient, type TestServer, until } from './helpers.js';
import { TcpProxy } from './support/tcp-proxy.js';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

/** A server that samples every second and calls a desk offline after 2 s of silence. */
async function monitoredServer(dataDir?: string): Promise<TestServer> {
  const s = await startServer({
    historySampleIntervalMs: 1_000,
    alerts: {
      qualityMin: 50,
      qualityForMs: 0,
      offlineAfterMs: 2_000,
      ackP99Ms: 60_000,
      reconnects: 5,
      dropRatePercent: 5,
      queueBytes: 64 * 1024 * 1024,
      forMs: 0,
    },
    nodeName: 'node-a',
    ...(dataDir === undefined ? {} : { dataDir }),
  });
  return s;
}

let statsId = 0;
function reportStats(c: TestClient, score: number): void {
  statsId += 1;
  c.send({
    type: 'batch',
    seq: statsId,
    batches: {
      client_stats: [
        {
          id: `01J0000000000000000000${String(statsId).padStart(4, '0')}`,
          data: {
            state: 'open',
            quality: { score, latency: 100, dropRate: 100, stability: 100 },
            latencyMs: { avg: 12, p50: 10, p95: 20 },
            reconnects: 0,
          },
        },
      ],
    },
  });
}

describe('monitoring: history and alerts', () => {
  it('raises desk_offline when a desk link is cut (TCP proxy), pushes it to another desk, and resolves it when the desk is back', async () => {
    const s = await monitoredServer();
    cleanups.push(() => s.stop());
    const proxy = await new TcpProxy(s.url).start();
    cleanups.push(() => proxy.stop());

    const watcher = new TestClient(s.wsUrl);
    cleanups.push(() => watcher.close());
    await watcher.hello({ clientId: 'desk-watch', topics: ['alerts'] });

    const desk = new TestClient(proxy.wsUrl);
    await desk.hello({ clientId: 'desk-3' });
    reportStats(desk, 95);
    await desk.next((f) => f.type === 'ack');
    const cutAt = Date.now();
    await proxy.cut();
    await desk.closed;

    const firing = await watcher.next(
      (f) => f.type === 'alert' && (f as { alert: { rule: string; state: string } }).alert.state === 'firing',
      15_000,
    );
    const alert = (firing as unknown as { alert: AlertList['alerts'][number] }).alert;
    expect(alert).toMatchObject({
      rule: 'desk_offline',
      subject: 'desk-3',
      severity: 'critical',
      node: 'node-a',
    });
    expect(alert.summary).toMatch(/^Desk desk-3 offline for/);
    // within its window: 2 s of silence plus a sample period or two, never before the window
    expect(alert.firedAt ?? 0).toBeGreaterThanOrEqual(cutAt + 2_000 - 1_000);
    const listed = await apiJson(AlertList, s.url, '/api/alerts');
    expect(listed.body.alerts.find((a) => a.id === alert.id)?.state).toBe('firing');

    await proxy.restore();
    const back = new TestClient(proxy.wsUrl);
    cleanups.push(() => back.close());
    await back.hello({ clientId: 'desk-3' });
    reportStats(back, 95);
    const resolved = await watcher.next(
      (f) =>
        f.type === 'alert' &&
        (f as { alert: { id: string; state: string } }).alert.id === alert.id &&
        (f as { alert: { state: string } }).alert.state === 'resolved',
      15_000,
    );
    expect((resolved as unknown as { alert: { resolvedAt: number } }).alert.resolvedAt).toBeGreaterThan(
      alert.firedAt ?? 0,
    );
    const after = await apiJson(AlertList, s.url, '/api/alerts');
    expect(after.body.alerts.find((a) => a.id === alert.id)?.state).toBe('resolved');
  });

  it('serves history that outlives a restart, per desk and per node, and refuses bad queries', async () => {
    const first = await monitoredServer();
    const dataDir = first.dataDir;
    const desk = new TestClient(first.wsUrl);
    await desk.hello({ clientId: 'desk-7' });
    reportStats(desk, 88);
    await desk.next((f) => f.type === 'ack');
    const points = async (url: string, path: string) => {
      const { body } = await apiJson(HistoryDocument, url, path);
      return body;
    };
    await until(async () => {
      const d = await points(first.url, '/api/history?metric=desk_quality&desk=desk-7');
      return (d.series[0]?.points.length ?? 0) >= 2;
    }, 15_000);
    const before = await points(first.url, '/api/history?metric=desk_quality&desk=desk-7');
    expect(before).toMatchObject({ metric: 'desk_quality', resolutionS: 10, stepS: 10 });
    expect(before.series[0]?.points.every(([, v]) => v === 88)).toBe(true);
    const node = await points(first.url, '/api/history?metric=connections&node=node-a');
    expect(node.series[0]?.node).toBe('node-a');
    await desk.close();
    // the server is closed but its data folder kept: a second server on the same SQLite file
    await first.server.close();

    const second = await monitoredServer(dataDir);
    cleanups.push(() => second.stop());
    const again = await points(second.url, '/api/history?metric=desk_quality&desk=desk-7');
    expect(again.series[0]?.points.slice(0, before.series[0]?.points.length)).toEqual(
      before.series[0]?.points,
    );
    const day = await points(
      second.url,
      '/api/history?metric=desk_quality&from=' + (Date.now() - 86_400_000),
    );
    expect(day.stepS).toBeGreaterThanOrEqual(60);

    expect((await apiError(second.url, '/api/history?metric=nope')).status).toBe(400);
    expect((await apiError(second.url, '/api/history?metric=connections&step=15')).status).toBe(400);
    expect((await apiError(second.url, '/api/history?metric=connections&from=10&to=5')).status).toBe(400);
    expect((await apiError(second.url, '/api/history?metric=connections', { token: null })).status).toBe(401);
    const nodes = await apiJson(NodeList, second.url, '/api/nodes');
    expect(nodes.body.nodes.map((n) => [n.node, n.self])).toEqual([['node-a', true]]);
  });
});
