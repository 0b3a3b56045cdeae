import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runTraffic } from '../apps/dashboard/scripts/traffic.js';
import {
  currentEngine,
  type EngineBrowser,
  launchBrowser,
  openDesk,
  screenshotPath,
  signIn,
  type Tab,
} from './browser.js';
import { waitForChange, waitOnline } from './desk-page.js';
import { pickMembers } from './gym-data.js';
import { ServerProcess } from './server-process.js';

const engine = currentEngine().name;

describe(`performance monitor [${engine}]`, () => {
  const server = new ServerProcess();
  let browser: EngineBrowser;
  let page: Tab;

  const monitor = () => page.getByRole('region', { name: 'Performance monitor' });
  const serverFigures = () =>
    monitor()
      .getByRole('region', { name: 'Server' })
      .textContent()
      .then((t) => t ?? '');
  const traffic = async (durationMs: number) =>
    runTraffic({ baseUrl: server.url, token: await server.token(), desks: 3, ratePerSec: 25, durationMs });

  beforeAll(async () => {
    await server.start();
    browser = await launchBrowser();
    page = await openDesk(browser, server.url);
    await signIn(page, server.adminPassword);
    await waitOnline(page);
    // a few check-ins from this tab, so its own figures (batches, latency) are not empty
    const { active } = await pickMembers(server);
    const scan = page.getByLabel('Scan membership card');
    for (const member of active.slice(0, 4)) {
      await scan.fill(member.membershipNumber);
      await scan.press('Enter');
      await page.getByText(`${member.name} checked in.`).first().waitFor();
    }
    await page.getByRole('link', { name: 'Performance' }).click();
    await monitor().waitFor();
  });

  afterAll(async () => {
    await browser?.close();
    await server.dispose();
  });

  it('shows the key metrics, each band in words as well as colour', async () => {
    for (const name of ['Connection quality', 'Average latency', 'Batches sent', 'Bytes saved']) {
      await monitor().getByRole('group', { name }).waitFor();
    }
    const quality = await monitor()
      .getByRole('group', { name: 'Connection quality' })
      .textContent()
      .then((t) => t ?? '');
    expect(quality).toMatch(/\d+ %/);
    expect(quality).toMatch(/Good|Fair|Poor/);
  });

  it('changes its numbers as traffic flows', async () => {
    const before = await serverFigures();
    const run = traffic(8_000);
    const after = await waitForChange(serverFigures, before, 15_000);
    await run;
    expect(after).toMatch(/check_in\s*\d+(\.\d)?\/s/);
  });

  it('stops updating when auto-refresh is off and resumes when it is on again', async () => {
    const toggle = monitor().getByRole('checkbox', { name: 'Auto-refresh every 5 s' });
    await toggle.uncheck();
    await page.waitForTimeout(500); // a refresh already in flight may still land
    const frozen = await monitor()
      .textContent()
      .then((t) => t ?? '');
    await traffic(7_000);
    expect(
      await monitor()
        .textContent()
        .then((t) => t ?? ''),
    ).toBe(frozen);
    await toggle.check();
    await waitForChange(
      () =>
        monitor()
          .textContent()
          .then((t) => t ?? ''),
      frozen,
      7_000,
    );
  });

  it('turns batching off and on from the optimisation toggle', async () => {
    const toggle = monitor().getByRole('checkbox', { name: 'Batching optimisation' });
    await monitor().getByText('Details').click();
    await toggle.uncheck();
    await monitor().getByText('Off (one frame per message)').waitFor();
    await toggle.check();
    await monitor().getByText('On (batched)').waitFor();
    // the screenshot is taken mid-run, so the fleet shows connected desks
    const run = traffic(9_000);
    await monitor()
      .getByRole('row', { name: /sim-desk-1 connected/ })
      .first()
      .waitFor({ timeout: 9_000 });
    await monitor().getByRole('button', { name: 'Refresh now' }).click();
    await page.waitForTimeout(300);
    await page.screenshot({ path: screenshotPath('performance-monitor', engine), fullPage: true });
    await run;
  });
});
