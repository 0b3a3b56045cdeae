import type { Member } from '@av-gym/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AxeFinding, seriousViolations, sidewaysScroll } from './axe.js';
import { currentEngine, type EngineBrowser, launchBrowser, openDesk, signIn, Tab } from './browser.js';
import { openMember, waitOnline } from './desk-page.js';
import { pickMembers } from './gym-data.js';
import { ServerProcess } from './server-process.js';

const engine = currentEngine().name;

function report(screen: string, findings: AxeFinding[]): string {
  return findings
    .map((f) => `${screen}: ${f.id} (${f.impact}) ${f.help}: ${f.targets.join(' | ')}`)
    .join('\n');
}

describe(`accessibility [${engine}]`, () => {
  const server = new ServerProcess();
  let browser: EngineBrowser;
  let members: { active: Member[]; expired: Member };

  beforeAll(async () => {
    await server.start();
    members = await pickMembers(server);
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    await server.dispose();
  });

  it('has no serious or critical axe violation on any screen (WCAG 2.2 AA rules)', async () => {
    const page = await openDesk(browser, server.url);
    const found: string[] = [];
    const check = async (screen: string) => {
      const v = await seriousViolations(page);
      if (v.length > 0) found.push(report(screen, v));
    };
    await page.getByRole('button', { name: 'Sign in' }).waitFor();
    await check('login');
    await signIn(page, server.adminPassword);
    await waitOnline(page);
    await check('desk');
    const card = await openMember(page, members.active[0]!);
    await check('member card');
    await card.getByRole('button', { name: 'Check in', exact: true }).click();
    await card.getByText('checked in.').waitFor();
    await check('member card after check-in');
    await page.getByLabel('Scan membership card').fill(members.active[1]!.membershipNumber);
    await page.getByLabel('Scan membership card').press('Enter');
    await page.getByRole('region', { name: `Welcome, ${members.active[1]!.name}` }).waitFor();
    await check('scan result');
    const expired = await openMember(page, members.expired);
    await expired.getByRole('button', { name: 'Renew', exact: true }).click();
    await check('renew');
    await expired.getByRole('button', { name: 'Edit member' }).click();
    await page.getByRole('region', { name: `Edit ${members.expired.name}` }).waitFor();
    await check('edit');
    await page.getByRole('button', { name: 'New member', exact: true }).click();
    await page.getByRole('region', { name: 'New member' }).waitFor();
    await check('new member');
    await page.getByRole('link', { name: 'Performance' }).click();
    await page
      .getByRole('heading', { name: /Performance/ })
      .first()
      .waitFor({ timeout: 20_000 });
    await check('monitor');
    expect(found.join('\n')).toBe('');
    await page.close();
  });

  it.each([390, 820, 1400])(
    'lays out the desk, card, edit and new-member forms and monitor at %i px without sideways scroll',
    async (width) => {
      const tab = new Tab(browser.name, await browser.newPage({ width, height: 900 }));
      await tab.goto(server.url);
      await signIn(tab, server.adminPassword);
      await waitOnline(tab);
      expect(await sidewaysScroll(tab), 'desk').toBeNull();
      const card = await openMember(tab, members.active[2]!);
      expect(await sidewaysScroll(tab), 'member card').toBeNull();
      await card.getByRole('button', { name: 'Edit member' }).click();
      await tab.getByRole('region', { name: `Edit ${members.active[2]!.name}` }).waitFor();
      expect(await sidewaysScroll(tab), 'edit form').toBeNull();
      await tab.getByRole('button', { name: 'New member', exact: true }).click();
      await tab.getByRole('region', { name: 'New member' }).waitFor();
      expect(await sidewaysScroll(tab), 'new member form').toBeNull();
      await tab.getByRole('link', { name: 'Performance' }).click();
      await tab
        .getByRole('heading', { name: /Performance/ })
        .first()
        .waitFor({ timeout: 20_000 });
      expect(await sidewaysScroll(tab), 'monitor').toBeNull();
      await tab.close();
    },
  );
});
