import type { Member } from '@av-gym/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  currentEngine,
  type EngineBrowser,
  launchBrowser,
  openDesk,
  screenshotPath,
  signIn,
} from './browser.js';
import { waitOnline } from './desk-page.js';
import type { Tab } from './driver/tab.js';
import { pickMembers } from './gym-data.js';
import { ServerProcess } from './server-process.js';

const engine = currentEngine().name;
const CHECK_INS = 50;

/** Polls `check` (a page query) until it holds; the page's own timers do the work meanwhile. */
async function until(
  page: Tab,
  check: () => Promise<boolean>,
  timeoutMs: number,
  what: string,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) return;
    if (Date.now() > deadline) throw new Error(`${page.describe} timed out waiting for ${what}`);
    await page.waitForTimeout(250);
  }
}

/**
 * Whether a service worker controls the page: false only where the engine has no service worker
 * API (the documented degraded path); an engine with the API must end up controlled.
 */
async function controlledByServiceWorker(page: Tab): Promise<boolean> {
  const supported = await page.evaluate(() => 'serviceWorker' in navigator);
  if (!supported) return false;
  await until(
    page,
    () => page.evaluate(() => navigator.serviceWorker.controller !== null),
    30_000,
    'the service worker to control the page',
  );
  return true;
}

describe(`offline-first desk: a shift without the server [${engine}]`, () => {
  const server = new ServerProcess();
  let browser: EngineBrowser;
  let members: Member[];
  let expired: Member;
  let token: string;

  beforeAll(async () => {
    await server.start();
    const picked = await pickMembers(server);
    members = picked.active.slice(0, CHECK_INS);
    expired = picked.expired;
    token = await server.token();
    if (members.length < CHECK_INS) throw new Error(`the demo gym has only ${members.length} members free`);
    browser = await launchBrowser();
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await server.dispose();
  });

  it('searches, scans and checks in 50 members while the server is down, survives a reload, and confirms each once', async () => {
    const startedAt = Date.now();
    const page = await openDesk(browser, server.url);
    await signIn(page, server.adminPassword);
    await waitOnline(page);
    await page.getByText(/This desk's copy of the members: \d+, as of/).waitFor({ timeout: 20_000 });
    const shellOffline = await controlledByServiceWorker(page);

    await server.stop();
    const header = page.getByRole('status', { name: 'Connection' });
    await header.getByText(/Offline/).waitFor({ timeout: 20_000 });

    // search answers from the desk's copy, and says so
    const search = page.getByRole('combobox', { name: 'Search members' });
    const first = members[0] as Member;
    await search.fill(first.name);
    await page
      .getByRole('option', { name: new RegExp(first.name) })
      .first()
      .waitFor();
    await page.getByText(/^offline: from this desk's copy, as of \d\d:\d\d$/).waitFor();
    // a query that matches nobody clears the last results: Enter cannot pick a stale person
    await search.fill('zzzz-no-such-member');
    await page.getByText('No member matches.').waitFor();
    expect(await page.getByRole('listbox', { name: 'Matching members' }).getByRole('option').count()).toBe(0);
    await search.fill('');

    // scan 50 cards and one expired member's: each checked in offline, saved on this desk
    const scan = page.getByLabel('Scan membership card');
    for (const m of [...members, expired]) {
      await scan.fill(m.membershipNumber);
      await scan.press('Enter');
      await page.getByRole('region', { name: `Member ${m.name}` }).waitFor();
    }
    const waiting = `${CHECK_INS + 1} actions wait, saved on this desk`;
    await header.getByText(new RegExp(waiting)).waitFor({ timeout: 20_000 });
    await page
      .getByRole('region', { name: 'Occupancy' })
      .getByText(/Offline: as of \d\d:\d\d/)
      .waitFor();
    await page
      .getByRole('region', { name: 'Live check-ins' })
      .getByText(/Offline: as of \d\d:\d\d, not live/)
      .waitFor();
    await page.screenshot({ path: screenshotPath('front-desk-offline', engine) });

    if (shellOffline) {
      // a reload during the outage opens the desk from the service worker's shell, still signed in
      await page.reload();
      await page.getByRole('button', { name: 'Sign out' }).waitFor({ timeout: 30_000 });
      await header.getByText(new RegExp(waiting)).waitFor({ timeout: 30_000 });
      const log = page.getByRole('region', { name: 'This desk' });
      await log
        .getByText(/pending: saved on this desk at \d\d:\d\d/)
        .first()
        .waitFor();
      await page.screenshot({ path: screenshotPath('front-desk-offline-reloaded', engine) });
    } else {
      // no service worker here (documented in docs/client.md): the page cannot reopen while the
      // server is down, but what it saved survives a reload once the server is back
      console.info(
        `${page.describe} no service worker controls the page: reloading after the server is back`,
      );
    }

    await server.start();
    if (!shellOffline) await page.reload();
    await waitOnline(page, 45_000);
    await until(
      page,
      async () => !(await header.getByText(/saved on this desk/).isVisible()),
      60_000,
      'the saved outbox to empty',
    );
    // the expired member's check-in was accepted offline and refused on arrival, in words, on its line
    const log = page.getByRole('region', { name: 'This desk' });
    await log
      .getByText(new RegExp(`Check-in of ${expired.name} refused: .*membership expired on`))
      .waitFor({ timeout: 30_000 });

    // through the API: every one of the 50 checked in exactly once since the test began
    for (const m of members) {
      const res = await fetch(`${server.url}/api/visits?memberId=${encodeURIComponent(m.id)}&limit=20`, {
        headers: { authorization: `Bearer ${token}` },
      });
      const { visits } = (await res.json()) as { visits: { checkedInAt: number }[] };
      expect(visits.filter((v) => v.checkedInAt >= startedAt - 60_000).length, m.name).toBe(1);
    }
    const res = await fetch(`${server.url}/api/visits?memberId=${encodeURIComponent(expired.id)}&limit=5`, {
      headers: { authorization: `Bearer ${token}` },
    });
    const { visits } = (await res.json()) as { visits: { checkedInAt: number }[] };
    expect(visits.filter((v) => v.checkedInAt >= startedAt - 60_000)).toEqual([]);
    await page.close();
  }, 420_000);
});
