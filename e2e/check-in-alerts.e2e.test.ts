import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seriousViolations, sidewaysScroll } from './axe.js';
import {
  currentEngine,
  type EngineBrowser,
  launchBrowser,
  openDesk,
  screenshotPath,
  signIn,
  Tab,
} from './browser.js';
import { waitOnline } from './desk-page.js';
import { ServerProcess } from './server-process.js';
import { sendBatch } from './ws-batch.js';

const engine = currentEngine().name;
const suffix = engine.slice(0, 2).toUpperCase();
const PASSWORD = 'e2e-staff-password-1';

async function createStaff(server: ServerProcess, token: string, username: string, role: string) {
  const res = await fetch(`${server.url}/api/staff`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ username, displayName: username, role, password: PASSWORD }),
  });
  if (!res.ok) throw new Error(`POST /api/staff ${username}: HTTP ${res.status} ${await res.text()}`);
}

async function signInAs(page: Tab, username: string): Promise<void> {
  await signIn(page, PASSWORD, username);
  await waitOnline(page);
}

/** Scans a card into the scan field, as a scanner that types and presses Enter. */
async function scan(page: Tab, card: string): Promise<void> {
  await page.getByLabel('Scan membership card').fill(card);
  await page.getByLabel('Scan membership card').press('Enter');
}

function activeLabel(page: Tab): Promise<string | null> {
  return page.evaluate(() => {
    const el = document.activeElement as HTMLInputElement | null;
    return el?.labels?.[0]?.textContent?.trim() ?? el?.textContent?.trim() ?? null;
  });
}

describe(`check-in alerts and overrides [${engine}]`, () => {
  // a balance due blocks here (the default blocks only expired and frozen memberships)
  const server = new ServerProcess({ CHECKIN_BLOCKING_ALERTS: 'expired,frozen,balance_due' });
  let browser: EngineBrowser;
  const owes = { id: `m_owes_${suffix}`, card: `AL-${suffix}-0001`, name: `Owen Owes ${suffix}` };
  const birthday = { id: `m_bday_${suffix}`, card: `AL-${suffix}-0002`, name: `Bea Birthday ${suffix}` };
  const narrow = { id: `m_narrow_${suffix}`, card: `AL-${suffix}-0003`, name: `Nora Narrow ${suffix}` };
  const manager = `maria-${suffix.toLowerCase()}`;
  const clerk = `dan-${suffix.toLowerCase()}`;

  beforeAll(async () => {
    await server.start();
    const token = await server.token();
    const today = new Date().toISOString().slice(0, 10);
    const ack = await sendBatch(
      server,
      token,
      {
        member_create: [
          {
            id: `e2e-owes-${suffix}`,
            data: {
              memberId: owes.id,
              membershipNumber: owes.card,
              name: owes.name,
              plan: 'standard',
              expiresAt: '2099-12-31',
              balanceDueCents: 4000,
              waiverSignedAt: '2026-01-05',
            },
          },
          {
            id: `e2e-bday-${suffix}`,
            data: {
              memberId: birthday.id,
              membershipNumber: birthday.card,
              name: birthday.name,
              plan: 'basic',
              expiresAt: '2099-12-31',
              dateOfBirth: `1990-${today.slice(5)}`,
              waiverSignedAt: '2026-01-05',
            },
          },
          {
            id: `e2e-narrow-${suffix}`,
            data: {
              memberId: narrow.id,
              membershipNumber: narrow.card,
              name: narrow.name,
              plan: 'premium',
              expiresAt: '2099-12-31',
              balanceDueCents: 123456,
              alertNote:
                'Ask for the locker key back before letting them in; it has been missing since Tuesday',
            },
          },
        ],
      },
      `e2e-setup-${suffix}`,
    );
    expect(ack.results?.member_create?.accepted).toHaveLength(3);
    await createStaff(server, token, manager, 'manager');
    await createStaff(server, token, clerk, 'desk');
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    await server.dispose();
  });

  it('shows a desk role why it cannot override; a manager overrides with a reason; the other desk sees it', async () => {
    const deskA = await openDesk(browser, server.url);
    await signInAs(deskA, clerk);
    await scan(deskA, owes.card);
    const refused = deskA.getByRole('region', { name: 'Not checked in' });
    await refused.waitFor({ timeout: 10_000 });
    const alerts = refused.getByRole('list', { name: 'Alerts for this check-in' });
    await alerts.getByText('balance due: 40.00').waitFor();
    expect(await alerts.textContent()).toContain('blocks check-in');
    await refused
      .getByText(/Only a manager or admin can override this \(you are signed in as desk\)/)
      .waitFor();
    expect(await refused.getByRole('button', { name: 'Override' }).count()).toBe(0);

    const deskB = await openDesk(browser, server.url);
    await signInAs(deskB, manager);
    await scan(deskB, owes.card);
    const blocked = deskB.getByRole('region', { name: 'Not checked in' });
    await blocked.waitFor({ timeout: 10_000 });
    await blocked.getByRole('button', { name: 'Override' }).click();
    const dialog = deskB.getByRole('dialog', { name: `Override for ${owes.name}` });
    await dialog.waitFor();
    // the focus moves into the dialog; Escape closes it and the focus returns to the Override button
    await expect.poll(() => activeLabel(deskB), { timeout: 5_000 }).toBe('Reason (required)');
    const axeDialog = await seriousViolations(deskB);
    expect(axeDialog.map((f) => `${f.id}: ${f.targets.join(' | ')}`)).toEqual([]);
    await dialog.getByLabel('Reason (required)').press('Escape');
    await expect.poll(() => deskB.getByRole('dialog').count(), { timeout: 5_000 }).toBe(0);
    await expect.poll(() => activeLabel(deskB), { timeout: 5_000 }).toBe('Override');

    await blocked.getByRole('button', { name: 'Override' }).click();
    await dialog.getByLabel('Reason (required)').fill('paid in cash at the desk');
    await deskB.screenshot({ path: screenshotPath('override-dialog', engine) });
    await dialog.getByRole('button', { name: 'Override and check in' }).click();
    const welcome = deskB.getByRole('region', { name: `Welcome, ${owes.name}` });
    await welcome.waitFor({ timeout: 10_000 });
    await welcome.getByText(`Override by ${manager}: paid in cash at the desk`).waitFor();
    // back to scan-first: the focus is in the scan field again
    await expect.poll(() => activeLabel(deskB), { timeout: 5_000 }).toContain('Scan membership card');

    // the other desk's live feed shows the override
    const feed = deskA.getByRole('list', { name: "Today's check-ins and check-outs" });
    await feed.getByText(`override by ${manager}: paid in cash at the desk`).waitFor({ timeout: 15_000 });

    // the audit trail holds the manager's check-in and override, and nothing from the refused clerk
    const res = await fetch(`${server.url}/api/audit?member=${owes.id}`, {
      headers: { authorization: `Bearer ${await server.token()}` },
    });
    expect(res.status).toBe(200);
    const { entries } = (await res.json()) as {
      entries: { action: string; staff: string; reason?: string | null }[];
    };
    expect(entries.filter((e) => e.action === 'alert_override')).toEqual([
      expect.objectContaining({ staff: manager, reason: 'paid in cash at the desk' }),
    ]);
    expect(entries.filter((e) => e.action === 'check_in').map((e) => e.staff)).toEqual([manager]);
    expect(entries.some((e) => e.staff === clerk)).toBe(false);
    await deskA.close();
    await deskB.close();
  });

  it('shows an informational alert (birthday) on the pass card, with no serious axe violation', async () => {
    const desk = await openDesk(browser, server.url);
    await signInAs(desk, clerk);
    await scan(desk, birthday.card);
    const welcome = desk.getByRole('region', { name: `Welcome, ${birthday.name}` });
    await welcome.waitFor({ timeout: 10_000 });
    const alerts = welcome.getByRole('list', { name: 'Alerts for this check-in' });
    await alerts.getByText('birthday today').waitFor();
    expect(await alerts.textContent()).not.toContain('blocks check-in');
    const found = await seriousViolations(desk);
    expect(found.map((f) => `${f.id}: ${f.targets.join(' | ')}`)).toEqual([]);
    await desk.screenshot({ path: screenshotPath('scan-alerts', engine) });
    await desk.close();
  });

  it('fits a blocked card with long alerts and the override dialog into 390 px', async () => {
    const tab = new Tab(browser.name, await browser.newPage({ width: 390, height: 900 }));
    await tab.goto(server.url);
    await signInAs(tab, manager);
    await scan(tab, narrow.card);
    const blocked = tab.getByRole('region', { name: 'Not checked in' });
    await blocked.getByText(/staff note: Ask for the locker key/).waitFor({ timeout: 10_000 });
    expect(await sidewaysScroll(tab), 'blocked card').toBeNull();
    await blocked.getByRole('button', { name: 'Override' }).click();
    await tab.getByRole('dialog', { name: `Override for ${narrow.name}` }).waitFor();
    expect(await sidewaysScroll(tab), 'override dialog').toBeNull();
    await tab.close();
  });
});
