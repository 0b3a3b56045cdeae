import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import {
  currentEngine,
  type EngineBrowser,
  launchBrowser,
  openDesk,
  screenshotPath,
  signIn,
  type Tab,
} from './browser.js';
import { waitOnline } from './desk-page.js';
import { ServerProcess } from './server-process.js';

const engine = currentEngine().name;

/** A desk outside the browsers: says hello, reports its stats once, then its link dies. */
async function deskThatDisappears(wsUrl: string, token: string, clientId: string): Promise<void> {
  const ws = new WebSocket(wsUrl);
  const frames: { type: string }[] = [];
  ws.on('message', (data) => frames.push(JSON.parse(data.toString()) as { type: string }));
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  const until = async (type: string) => {
    const deadline = Date.now() + 10_000;
    while (!frames.some((f) => f.type === type)) {
      if (Date.now() > deadline) throw new Error(`no ${type} from the server`);
      await new Promise((r) => setTimeout(r, 50));
    }
  };
  ws.send(JSON.stringify({ type: 'hello', token, clientId }));
  await until('welcome');
  ws.send(
    JSON.stringify({
      type: 'batch',
      seq: 1,
      batches: {
        client_stats: [
          {
            id: '01JE2E0000000000000000DESK',
            data: { state: 'open', quality: { score: 96, latency: 100, dropRate: 100, stability: 100 } },
          },
        ],
      },
    }),
  );
  await until('ack');
  ws.terminate(); // no close handshake: the network is gone
}

describe(`monitor history and alerts [${engine}]`, () => {
  // samples every second and a desk silent for 3 s is offline, so the test sees both quickly
  const server = new ServerProcess({ HISTORY_SAMPLE_SEC: '1', ALERT_OFFLINE_AFTER_SEC: '3' });
  let browser: EngineBrowser;
  let monitorTab: Tab;
  let deskTab: Tab;

  beforeAll(async () => {
    await server.start();
    browser = await launchBrowser();
    monitorTab = await openDesk(browser, server.url);
    await signIn(monitorTab, server.adminPassword);
    await waitOnline(monitorTab);
    deskTab = await openDesk(browser, server.url);
    await signIn(deskTab, server.adminPassword);
    await waitOnline(deskTab);
    await monitorTab.getByRole('link', { name: 'Performance' }).click();
  });

  afterAll(async () => {
    await browser?.close();
    await server.dispose();
  });

  it('draws the last hour on a time axis: points with clock times', async () => {
    await monitorTab
      .getByRole('status', { name: 'Gym status' })
      .getByText('All desks healthy')
      .waitFor({ timeout: 20_000 });
    await monitorTab.getByRole('button', { name: '1 h' }).click();
    const chart = monitorTab.getByRole('figure', { name: 'Outbound queue over 1 h' });
    // samples every second: wait for two of them on the chart (the page reloads history every 10 s)
    let caption = '';
    const deadline = Date.now() + 40_000;
    for (;;) {
      caption = (await chart.textContent({ timeout: 30_000 })) ?? '';
      const n = Number(/(\d+) points/.exec(caption)?.[1] ?? 0);
      if (n >= 2) break;
      if (Date.now() > deadline) throw new Error(`the 1 h chart never showed two points: ${caption}`);
      await monitorTab.waitForTimeout(500);
    }
    const [, count, from, to] = /(\d+) points · (\d\d:\d\d) to (\d\d:\d\d)/.exec(caption) ?? [];
    expect(Number(count)).toBeGreaterThanOrEqual(2);
    const clock = (hhmm: string | undefined) => Number(hhmm?.slice(0, 2)) * 60 + Number(hhmm?.slice(3));
    // the points lie inside the last hour (the page's clock, minutes; midnight wraps)
    expect((clock(to) - clock(from) + 1440) % 1440).toBeLessThanOrEqual(60);
    await monitorTab.getByRole('region', { name: 'History' }).getByRole('list', { name: 'Nodes' }).waitFor();
  }, 90_000);

  it('shows a firing alert on another desk without a reload, in words, and in the monitor list', async () => {
    const wsUrl = `${server.url.replace(/^http/, 'ws')}/ws`;
    await deskThatDisappears(wsUrl, await server.token(), 'desk-3');
    const banner = deskTab.getByRole('alert', { name: 'Firing alerts' });
    await banner.getByText(/Desk desk-3 offline for/).waitFor({ timeout: 45_000 });
    await monitorTab
      .getByRole('status', { name: 'Gym status' })
      .getByText(/Desk desk-3 offline for/)
      .waitFor({ timeout: 30_000 });
    const row = monitorTab
      .getByRole('table', { name: 'Alerts' })
      .getByRole('row', { name: /firing .*desk_offline/ });
    await row.first().waitFor({ timeout: 15_000 });
    await monitorTab.screenshot({ path: screenshotPath('monitor-history-alert', engine), fullPage: true });
  }, 120_000);
});
