import type { Member } from '@av-gym/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { currentEngine, type EngineBrowser, launchBrowser, openDesk, signIn } from './browser.js';
import { openMember, waitOnline } from './desk-page.js';
import { pickMembers } from './gym-data.js';
import { ServerProcess } from './server-process.js';

const engine = currentEngine().name;

describe(`front desk while the server is down [${engine}]`, () => {
  const server = new ServerProcess();
  let browser: EngineBrowser;
  let member: Member;

  beforeAll(async () => {
    await server.start();
    member = (await pickMembers(server)).active[2]!;
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    await server.dispose();
  });

  it('shows a check-in as pending and confirms it once the server is back', async () => {
    const page = await openDesk(browser, server.url);
    await signIn(page, server.adminPassword);
    await waitOnline(page);
    const card = await openMember(page, member);

    await server.stop();
    const indicator = page.getByRole('status', { name: 'Connection' });
    await indicator.getByText(/Reconnecting|Connecting|Offline/).waitFor({ timeout: 15_000 });
    await card.getByRole('button', { name: 'Check in' }).click();
    const pending = card.getByRole('status').filter({ hasText: 'pending' });
    await pending.waitFor();
    expect(await pending.textContent()).toContain('sent when the connection returns');

    await server.start();
    await card.getByText(`${member.name} checked in.`).waitFor({ timeout: 45_000 });
    await waitOnline(page);
    const feed = page.getByRole('region', { name: 'Live check-ins' });
    await feed.getByRole('listitem').filter({ hasText: member.name }).first().waitFor({ timeout: 10_000 });
    await page.close();
  });
});
