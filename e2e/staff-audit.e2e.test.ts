import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AxeFinding, seriousViolations, sidewaysScroll } from './axe.js';
import { currentEngine, type EngineBrowser, launchBrowser, openDesk, signIn, Tab } from './browser.js';
import { openMember, waitOnline } from './desk-page.js';
import { ServerProcess } from './server-process.js';
import { sendBatch } from './ws-batch.js';

const engine = currentEngine().name;
const suffix = engine.slice(0, 2).toLowerCase();

function report(screen: string, findings: AxeFinding[]): string {
  return findings
    .map((f) => `${screen}: ${f.id} (${f.impact}) ${f.help}: ${f.targets.join(' | ')}`)
    .join('\n');
}

/** Creates a member over a WebSocket of its own (the test's set-up). */
async function createMember(
  server: ServerProcess,
  token: string,
  data: Record<string, unknown>,
): Promise<void> {
  const ack = await sendBatch(
    server,
    token,
    { member_create: [{ id: `e2e-${data.memberId}`, data }] },
    `e2e-staff-setup-${suffix}`,
  );
  if (ack.results?.member_create?.accepted.length !== 1)
    throw new Error(`member not created: ${JSON.stringify(ack)}`);
}

async function signInAs(page: Tab, username: string, password: string): Promise<void> {
  await signIn(page, password, username);
  await waitOnline(page);
}

async function signOut(page: Tab): Promise<void> {
  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.getByRole('button', { name: 'Sign in' }).waitFor();
}

describe(`staff accounts, password change and audit trail [${engine}]`, () => {
  const server = new ServerProcess();
  let browser: EngineBrowser;
  let adminToken: string;

  beforeAll(async () => {
    await server.start();
    adminToken = await server.token();
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    await server.dispose();
  });

  it('an admin creates a desk account; it signs in, sees no staff or audit tab, and changes its password', async () => {
    const found: string[] = [];
    const page = await openDesk(browser, server.url);
    await signIn(page, server.adminPassword);
    await waitOnline(page);
    await page.getByRole('link', { name: 'Staff' }).click();
    await page.getByRole('heading', { name: 'Staff accounts' }).waitFor();
    await page.getByRole('row', { name: /admin/ }).waitFor();
    const user = `dana-${suffix}`;
    const form = page.getByRole('region', { name: 'New staff account' });
    await form.getByLabel(/^Username/).fill(user);
    await form.getByLabel('Display name').fill(`Dana ${suffix}`);
    await form.getByLabel('Role').selectOption('desk');
    await form.getByLabel(/^First password/).fill('dana-first-password');
    await form.getByRole('button', { name: 'Create account' }).click();
    await page.getByText(`${user} can sign in now.`).waitFor();
    await page.getByRole('row', { name: new RegExp(user) }).waitFor();
    const v = await seriousViolations(page);
    if (v.length > 0) found.push(report('staff', v));
    await signOut(page);

    await signInAs(page, user, 'dana-first-password');
    expect(await page.getByRole('link', { name: 'Staff' }).count()).toBe(0);
    expect(await page.getByRole('link', { name: 'Audit' }).count()).toBe(0);
    await page.getByRole('link', { name: 'Password' }).click();
    await page.getByRole('heading', { name: 'Change your password' }).waitFor();
    await page.getByLabel('Current password').fill('dana-first-password');
    await page.getByLabel(/^New password \(/).fill('dana-second-password');
    await page.getByLabel('New password again').fill('dana-second-password');
    await page.getByRole('button', { name: 'Change password' }).click();
    await page.getByText('Password changed.').waitFor();
    const p = await seriousViolations(page);
    if (p.length > 0) found.push(report('password', p));
    await signOut(page);
    await signInAs(page, user, 'dana-second-password');
    await page.getByRole('button', { name: 'Sign out' }).waitFor();
    expect(found.join('\n')).toBe('');
    await page.close();
  }, 90_000);

  it('a manager checks a member in and edits the name, then sees both in the audit trail with before and after', async () => {
    const manager = `mo-${suffix}`;
    const res = await fetch(`${server.url}/api/staff`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${adminToken}` },
      body: JSON.stringify({
        username: manager,
        displayName: 'Mo',
        role: 'manager',
        password: 'mo-password-1',
      }),
    });
    expect(res.status).toBe(201);
    const member = {
      memberId: `m_audit_${suffix}`,
      membershipNumber: `AU-${suffix.toUpperCase()}-0001`,
      name: `Audrey Audit ${suffix}`,
      plan: 'basic',
      expiresAt: '2099-12-31',
      waiverSignedAt: '2026-01-05',
    };
    await createMember(server, adminToken, member);
    const page = await openDesk(browser, server.url);
    await signInAs(page, manager, 'mo-password-1');
    const asMember = { ...member, id: member.memberId } as unknown as Parameters<typeof openMember>[1];
    const card = await openMember(page, asMember);
    await card.getByRole('button', { name: 'Check in', exact: true }).click();
    await card.getByText(`${member.name} checked in.`).waitFor();
    await card.getByRole('button', { name: 'Edit member' }).click();
    const edit = page.getByRole('region', { name: `Edit ${member.name}` });
    await edit.getByLabel('Name').fill(`Audrey Renamed ${suffix}`);
    await edit.getByRole('button', { name: 'Save changes' }).click();
    // the form's title follows the new name
    await page
      .getByRole('region', { name: `Edit Audrey Renamed ${suffix}` })
      .getByText('Changes saved.')
      .waitFor();

    await page.getByRole('link', { name: 'Audit' }).click();
    const audit = page.getByRole('region', { name: 'Audit trail' });
    await audit.getByLabel('Member id').fill(member.memberId);
    await audit.getByRole('button', { name: 'Show' }).click();
    await audit.getByRole('cell', { name: 'Member edited' }).waitFor({ timeout: 15_000 });
    await audit.getByRole('cell', { name: 'Check-in' }).waitFor();
    await audit.getByText(`name: ${member.name} → Audrey Renamed ${suffix}`).waitFor();
    expect(await audit.getByRole('cell', { name: manager, exact: true }).count()).toBeGreaterThanOrEqual(2);
    const v = await seriousViolations(page);
    expect(report('audit', v)).toBe('');
    await page.close();
  }, 90_000);

  it.each([390, 820, 1400])(
    'lays out the staff, audit and password screens at %i px without sideways scroll',
    async (width) => {
      const tab = new Tab(browser.name, await browser.newPage({ width, height: 900 }));
      await tab.goto(server.url);
      await signIn(tab, server.adminPassword);
      await waitOnline(tab);
      for (const [link, heading] of [
        ['Staff', 'Staff accounts'],
        ['Audit', 'Audit trail'],
        ['Password', 'Change your password'],
      ] as const) {
        await tab.getByRole('link', { name: link, exact: true }).click();
        await tab.getByRole('heading', { name: heading }).waitFor();
        if (link === 'Audit') await tab.getByRole('status').filter({ hasText: 'rows shown' }).waitFor();
        expect(await sidewaysScroll(tab), `${link} at ${width} px`).toBeNull();
      }
      await tab.close();
    },
    90_000,
  );
});
