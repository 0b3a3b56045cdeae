import type { Member } from '@av-gym/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  currentEngine,
  type EngineBrowser,
  launchBrowser,
  openDesk,
  screenshotPath,
  signIn,
  type Tab,
} from './browser.js';
import { openMember, waitOnline } from './desk-page.js';
import { pickMembers } from './gym-data.js';
import { ServerProcess } from './server-process.js';

const engine = currentEngine().name;

/** What a USB barcode scanner does: the card number and Enter as keystrokes a few ms apart, into whatever has focus. */
async function scanWithNothingFocused(page: Tab, code: string): Promise<void> {
  const focused = await page.evaluate(
    (keys: string[]) => {
      (document.activeElement as HTMLElement | null)?.blur?.();
      const target = document.activeElement ?? document.body;
      for (const key of keys) target.dispatchEvent(new KeyboardEvent('keydown', { key, bubbles: true }));
      return target.tagName;
    },
    [...code, 'Enter'],
  );
  expect(focused).toBe('BODY');
}

/** The label of the focused element (its own label or the one that wraps it). */
function focusedLabel(page: Tab): Promise<string | null> {
  return page.evaluate(() => {
    const el = document.activeElement as HTMLInputElement | null;
    return el?.labels?.[0]?.textContent?.trim() ?? null;
  });
}

describe(`scan-first front desk [${engine}]`, () => {
  const server = new ServerProcess();
  let browser: EngineBrowser;
  let members: { active: Member[]; expired: Member };
  let frozen: Member;

  beforeAll(async () => {
    await server.start();
    members = await pickMembers(server);
    const token = await server.token();
    const res = await fetch(`${server.url}/api/members?status=frozen&limit=5`, {
      headers: { authorization: `Bearer ${token}` },
    });
    const first = ((await res.json()) as { members: Member[] }).members[0];
    if (!first) throw new Error('the demo gym has no frozen member');
    frozen = first;
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    await server.dispose();
  });

  it("focuses the scan field after sign-in and checks a member in from a scanner's keystrokes with nothing focused", async () => {
    const page = await openDesk(browser, server.url);
    await signIn(page, server.adminPassword);
    await waitOnline(page);
    await expect.poll(() => focusedLabel(page), { timeout: 5_000 }).toContain('Scan membership card');
    const member = members.active[0]!;
    await scanWithNothingFocused(page, member.membershipNumber);
    const result = page.getByRole('region', { name: `Welcome, ${member.name}` });
    await result.waitFor({ timeout: 10_000 });
    expect(await result.textContent()).toContain(`card ${member.membershipNumber}`);
    await page
      .getByRole('region', { name: `Member ${member.name}` })
      .getByText(`${member.name} checked in.`)
      .waitFor();
    // the card stays until the next scan, and focus went back to the scan field
    expect(await focusedLabel(page)).toContain('Scan membership card');
    await page.screenshot({ path: screenshotPath('scan-pass', engine) });
    // in the gym now: the second scan is refused in words, on a red card
    await page.waitForTimeout(1_100); // past the 1 s double-scan window
    await scanWithNothingFocused(page, member.membershipNumber);
    const refused = page.getByRole('region', { name: 'Not checked in' });
    await refused.waitFor({ timeout: 10_000 });
    expect(await refused.textContent()).toContain('already checked in');
    // typing slowly with nothing focused is no scan
    await scanWithNothingFocused(page, 'x');
    await page.close();
  });

  it('creates a member with the New member form and scans them in; two namesakes need an explicit choice', async () => {
    const page = await openDesk(browser, server.url);
    await signIn(page, server.adminPassword);
    await waitOnline(page);
    const suffix = engine.slice(0, 2).toUpperCase();
    const cards = [`NS-${suffix}-0001`, `NS-${suffix}-0002`];
    const name = `Robin Namesake ${suffix}`;
    for (const [i, card] of cards.entries()) {
      await page.getByRole('button', { name: 'New member', exact: true }).click();
      const form = page.getByRole('region', { name: 'New member' });
      await form.getByLabel('Name', { exact: true }).fill(name);
      await form.getByLabel('Email').fill(`robin${i}.${suffix.toLowerCase()}@example.org`);
      await form.getByLabel(/^Card number/).fill(card);
      await form.getByRole('button', { name: 'Create member' }).click();
      await form.getByText(`${name} is a member, card ${card}.`).waitFor({ timeout: 10_000 });
      await form.getByRole('button', { name: 'Close' }).click();
      await expect.poll(() => form.count(), { timeout: 5_000 }).toBe(0);
    }

    // the search finds both; Enter alone does not pick the first of two people with one name
    const search = page.getByRole('combobox', { name: 'Search members' });
    await search.fill(name);
    // the options of the search's own list (the header's club select has options too)
    const matches = page.getByRole('listbox', { name: 'Matching members' }).getByRole('option');
    await matches.nth(1).waitFor();
    expect(await matches.count()).toBe(2);
    await matches.filter({ hasText: `card ${cards[1]}` }).waitFor();
    await search.press('Enter');
    const note = page.getByRole('alert').filter({ hasText: 'members are named' });
    await note.waitFor();
    expect(await note.textContent()).toContain(`2 members are named ${name}`);
    await page.screenshot({ path: screenshotPath('namesakes', engine) });
    // an explicit choice: the arrow keys to the second one, then Enter
    await search.press('ArrowDown');
    await search.press('Enter');
    const card = page.getByRole('region', { name: `Member ${name}` });
    await card.getByText(`Card ${cards[1]}`).waitFor();

    // the new member's card, scanned
    await scanWithNothingFocused(page, cards[0]!);
    await page.getByRole('region', { name: `Welcome, ${name}` }).waitFor({ timeout: 10_000 });
    await card.getByText(`Card ${cards[0]}`).waitFor();
    await card.getByText(`${name} checked in.`).waitFor();
    await page.close();
  });

  it('renews an expired member and unfreezes a frozen one from their card, then checks each in', async () => {
    const page = await openDesk(browser, server.url);
    await signIn(page, server.adminPassword);
    await waitOnline(page);

    const expired = await openMember(page, members.expired);
    expect(await expired.getByRole('button').first().textContent()).toBe('Renew');
    await expired.getByRole('button', { name: 'Renew', exact: true }).click();
    await expired.getByRole('button', { name: 'Renew membership' }).click();
    await expired.getByText(`${members.expired.name} renewed until`).waitFor({ timeout: 10_000 });
    await expired.getByText('Active', { exact: true }).waitFor({ timeout: 10_000 });
    await expired.getByRole('button', { name: 'Check in', exact: true }).click();
    await expired.getByText(`${members.expired.name} checked in.`).waitFor();

    const ice = await openMember(page, frozen);
    expect(await ice.getByRole('button').first().textContent()).toBe('Unfreeze');
    await ice.getByRole('button', { name: 'Unfreeze' }).click();
    await ice.getByText(`${frozen.name}'s membership is active again.`).waitFor({ timeout: 10_000 });
    await ice.getByRole('button', { name: 'Check in', exact: true }).click();
    await ice.getByText(`${frozen.name} checked in.`).waitFor();
    // in the gym: "Check out" leads
    await expect
      .poll(() => ice.getByRole('button').first().textContent(), { timeout: 10_000 })
      .toBe('Check out');
    await page.close();
  });
});
