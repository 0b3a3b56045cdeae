import type { Member } from '@av-gym/protocol';
import type { Locator } from './driver/locator.js';
import type { Tab } from './driver/tab.js';

/** Finds a member through "Search members" with the keyboard, as a clerk would. */
export async function openMember(page: Tab, member: Member): Promise<Locator> {
  const search = page.getByRole('combobox', { name: 'Search members' });
  await search.fill(member.membershipNumber);
  await page.getByRole('option', { name: new RegExp(member.name) }).waitFor();
  await search.press('ArrowDown');
  await search.press('Enter');
  const card = page.getByRole('region', { name: `Member ${member.name}` });
  await card.waitFor();
  return card;
}

/** Renames this browser's desk through the header. */
export async function renameDesk(page: Tab, name: string): Promise<void> {
  await page.getByRole('button', { name: /rename$/ }).click();
  await page.getByLabel('Desk name').fill(name);
  await page.getByRole('button', { name: 'Save', exact: true }).click();
  await page.getByRole('button', { name: `Desk ${name}, rename` }).waitFor();
}

/** Waits until `read` returns something other than `before`; returns the new value. */
export async function waitForChange(
  read: () => Promise<string>,
  before: string,
  timeoutMs: number,
): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const now = await read();
    if (now !== before) return now;
    if (Date.now() > deadline)
      throw new Error(`no change within ${timeoutMs} ms; still:\n${now.slice(0, 400)}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/** Waits until the header's connection indicator says Online. */
export async function waitOnline(page: Tab, timeoutMs = 10_000): Promise<void> {
  await page.getByRole('status', { name: 'Connection' }).getByText('Online').waitFor({ timeout: timeoutMs });
}
