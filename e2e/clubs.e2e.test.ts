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
import { ServerProcess } from './server-process.js';

const engine = currentEngine().name;

/** A member of the demo chain whose access rule is "Central only", not in a club now. */
async function homeOnlyCentralMember(server: ServerProcess): Promise<Member> {
  const token = await server.token();
  const get = async <T>(path: string): Promise<T> => {
    const res = await fetch(`${server.url}${path}`, { headers: { authorization: `Bearer ${token}` } });
    if (!res.ok) throw new Error(`GET ${path}: HTTP ${res.status}`);
    return (await res.json()) as T;
  };
  const { members } = await get<{ members: Member[] }>('/api/members?status=active&limit=300');
  const { visits } = await get<{ visits: { memberId: string }[] }>('/api/visits?open=true&limit=500');
  const inside = new Set(visits.map((v) => v.memberId));
  const today = new Date().toISOString().slice(0, 10);
  const found = members.find(
    (m) =>
      m.accessRule === 'home' &&
      m.homeClubId === 'main' &&
      !inside.has(m.id) &&
      m.expiresAt > today &&
      !m.alertNote &&
      !m.balanceDueCents,
  );
  if (!found) throw new Error('the demo chain has no home-only member of Central for this test');
  return found;
}

describe(`clubs [${engine}]`, () => {
  const server = new ServerProcess({ SEED_HISTORY: '0' });
  let browser: EngineBrowser;
  let member: Member;

  beforeAll(async () => {
    await server.start();
    member = await homeOnlyCentralMember(server);
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    await server.dispose();
  });

  it("a desk at Northside refuses a Central-only member in words, and shows its club's occupancy", async () => {
    const page = await openDesk(browser, server.url);
    await signIn(page, server.adminPassword);
    await renameDesk(page, `North ${engine}`);
    await waitOnline(page);
    // the desk is set up at Northside through the header's club select (checked by the server)
    await page.getByLabel('Club', { exact: true }).selectOption('north');
    await page.getByRole('heading', { name: 'Occupancy · Northside' }).waitFor();
    await page.getByRole('region', { name: 'Occupancy by club' }).waitFor();

    const card = await openMember(page, member);
    await card.getByText(/home club Central \(that club only\)/).waitFor();
    await card.getByRole('button', { name: 'Check in' }).click();
    const alert = card.getByRole('alert');
    await alert.waitFor();
    const text = (await alert.textContent()) ?? '';
    expect(text).toContain(`membership is for Central only; this desk is at Northside`);
    expect(text).not.toContain('CLUB_NOT_ALLOWED');
    await page.screenshot({ path: screenshotPath('clubs', engine), fullPage: false });

    // set back at Central, the same desk lets the member in
    await page.getByLabel('Club', { exact: true }).selectOption('main');
    await page.getByRole('heading', { name: 'Occupancy · Central' }).waitFor();
    const again = await openMember(page, member);
    await again.getByRole('button', { name: 'Check in' }).click();
    await again.getByText(`${member.name} checked in.`).waitFor();
    await page.close();
  });
});
