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
import { openMember, renameDesk, waitOnline } from './desk-page.js';
import { pickMembers } from './gym-data.js';
import { ServerProcess } from './server-process.js';

const engine = currentEngine().name;

describe(`front desk [${engine}]`, () => {
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

  it('refuses a wrong password and signs in with the right one', async () => {
    const page = await openDesk(browser, server.url);
    await page.getByLabel('Username').fill('admin');
    await page.getByLabel('Password').fill('not-the-password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect(page.getByRole('alert').textContent()).resolves.toContain('Wrong username or password');
    await page.getByLabel('Password').fill(server.adminPassword);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('region', { name: 'Live check-ins' }).waitFor();
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('button', { name: 'Sign in' }).waitFor();
    await page.close();
  });

  it('goes back to sign-in, saying why, when the session is logged out elsewhere', async () => {
    const page = await openDesk(browser, server.url);
    await signIn(page, server.adminPassword);
    await waitOnline(page);
    const token = await page.evaluate(
      () => (JSON.parse(sessionStorage.getItem('av-gym.session') ?? '{}') as { token?: string }).token,
    );
    expect(token).toBeTruthy();
    const res = await fetch(`${server.url}/api/session`, {
      method: 'DELETE',
      headers: { authorization: `Bearer ${token}` },
    });
    expect(res.status).toBe(204);
    // the server closes the desk's socket with 4401 within 1 s; the desk shows sign-in at once
    await page.getByRole('button', { name: 'Sign in' }).waitFor({ timeout: 3_000 });
    await expect(page.getByRole('status').first().textContent()).resolves.toContain('Your session has ended');
    await page.close();
  });

  it('keeps the session and the desk name across a reload', async () => {
    const page = await openDesk(browser, server.url);
    await signIn(page, server.adminPassword);
    await renameDesk(page, 'Reload desk');
    await waitOnline(page);
    await page.reload();
    await page.getByRole('button', { name: 'Desk Reload desk, rename' }).waitFor();
    await page.getByRole('button', { name: 'Sign out' }).waitFor();
    await waitOnline(page);
    await page.close();
  });

  it("shows desk A's check-in in desk B's live feed within 2 s", async () => {
    const deskA = await openDesk(browser, server.url);
    const deskB = await openDesk(browser, server.url);
    await signIn(deskA, server.adminPassword);
    await signIn(deskB, server.adminPassword);
    await renameDesk(deskA, 'Front A');
    await deskB.getByRole('button', { name: /rename$/ }).waitFor();
    await waitOnline(deskA);
    await waitOnline(deskB);
    const member = members.active[0]!;

    const card = await openMember(deskA, member);
    const feedB = deskB.getByRole('region', { name: 'Live check-ins' });
    const line = feedB
      .getByRole('listitem')
      .filter({ hasText: member.name })
      .filter({ hasText: 'Desk Front A' });
    const clickedAt = Date.now();
    await card.getByRole('button', { name: 'Check in' }).click();
    await line.first().waitFor({ timeout: 2_000 });
    expect(Date.now() - clickedAt).toBeLessThan(2_000);
    await card.getByText(`${member.name} checked in.`).waitFor();

    // a second member and a check-out, so the feed and the screenshot show both kinds
    const second = members.active[1]!;
    const secondCard = await openMember(deskA, second);
    await secondCard.getByRole('button', { name: 'Check in' }).click();
    await secondCard.getByText(`${second.name} checked in.`).waitFor();
    const again = await openMember(deskA, member);
    await again.getByRole('button', { name: 'Check out' }).click();
    await feedB
      .getByRole('listitem')
      .filter({ hasText: member.name })
      .filter({ hasText: 'stayed' })
      .first()
      .waitFor();
    await openMember(deskA, second);
    await deskA.screenshot({ path: screenshotPath('front-desk', engine), fullPage: false });
    await deskA.close();
    await deskB.close();
  });

  it('checks a member in from a card scan and ignores the same scan within 1 s', async () => {
    const page = await openDesk(browser, server.url);
    await signIn(page, server.adminPassword);
    await waitOnline(page);
    const member = members.active[3]!;
    const scan = page.getByLabel('Scan membership card');
    await scan.fill(member.membershipNumber);
    await scan.press('Enter');
    await scan.fill(member.membershipNumber);
    await scan.press('Enter');
    await page.getByText('Same card scanned twice: ignored.').waitFor();
    const card = page.getByRole('region', { name: `Member ${member.name}` });
    await card.getByText(`${member.name} checked in.`).waitFor();
    const log = page.getByRole('region', { name: 'This desk' });
    expect(await log.getByRole('listitem').filter({ hasText: member.name }).count()).toBe(1);
    await page.close();
  });

  it("refuses an expired member's check-in with the reason in words", async () => {
    const page = await openDesk(browser, server.url);
    await signIn(page, server.adminPassword);
    await waitOnline(page);
    const card = await openMember(page, members.expired);
    await card.getByRole('button', { name: 'Check in' }).click();
    const alert = card.getByRole('alert');
    await alert.waitFor();
    const text = (await alert.textContent()) ?? '';
    expect(text).toMatch(/membership expired on \d{1,2} [A-Z][a-z]{2} \d{4}/);
    expect(text).not.toContain('MEMBERSHIP_INACTIVE');
    await page.close();
  });

  it("shows the newer values on a version conflict and saves the clerk's own edit again", async () => {
    const deskA = await openDesk(browser, server.url);
    const deskB = await openDesk(browser, server.url);
    await signIn(deskA, server.adminPassword);
    await signIn(deskB, server.adminPassword);
    await waitOnline(deskA);
    await waitOnline(deskB);
    const member = members.active[5]!;
    const newPlan = member.plan === 'student' ? 'premium' : 'student';
    for (const page of [deskA, deskB]) {
      const card = await openMember(page, member);
      await card.getByRole('button', { name: 'Edit member' }).click();
    }
    const formA = deskA.getByRole('region', { name: `Edit ${member.name}` });
    const formB = deskB.getByRole('region', { name: `Edit ${member.name}` });

    await formB.getByLabel('Plan').selectOption(newPlan);
    await formB.getByRole('button', { name: 'Save changes' }).click();
    await formB.getByText('Changes saved.').waitFor();

    await formA.getByLabel('Notes').fill('Prefers the rowing machines');
    await formA.getByRole('button', { name: 'Save changes' }).click();
    const conflict = formA.getByRole('alert');
    await conflict.waitFor();
    expect(await conflict.textContent()).toContain('Someone else changed this member');
    const planRow = conflict.getByRole('row', { name: /Plan/ });
    expect(await planRow.textContent()).toContain(newPlan);

    await conflict.getByRole('button', { name: 'Save my changes again' }).click();
    await formA.getByText('Changes saved.').waitFor();
    const token = await server.token();
    const res = await fetch(`${server.url}/api/members/${member.id}`, {
      headers: { authorization: `Bearer ${token}` },
    });
    const saved = (await res.json()) as Member;
    expect(saved).toMatchObject({ plan: newPlan, notes: 'Prefers the rowing machines' });
    await deskA.close();
    await deskB.close();
  });
});
