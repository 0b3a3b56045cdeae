import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';

/** Debian's Chromium; no browser download works on this machine. */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/**
 * A headless Chromium with a fresh profile. Playwright refuses `--user-data-dir` in `launch`
 * (several contexts need a non-persistent browser); it makes its own temp profile per launch
 * and removes it on close, and TMPDIR points that at a folder of ours, removed too.
 */
export async function launchBrowser(): Promise<{ browser: Browser; close(): Promise<void> }> {
  const profileDir = mkdtempSync(path.join(tmpdir(), 'av-gym-chromium-'));
  const browser = await chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
    env: { ...process.env, TMPDIR: profileDir },
  });
  return {
    browser,
    async close() {
      await browser.close().catch(() => {});
      rmSync(profileDir, { recursive: true, force: true });
    },
  };
}

/** A new browser context (its own storage: another desk) with one page at `url`. */
export async function openDesk(
  browser: Browser,
  url: string,
): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ viewport: { width: 1360, height: 900 }, deviceScaleFactor: 1 });
  const page = await context.newPage();
  await page.goto(url);
  return { context, page };
}

/** Signs in through the login form as a person would. */
export async function signIn(page: Page, password: string): Promise<void> {
  await page.getByLabel('Username').fill('admin');
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('button', { name: 'Sign out' }).waitFor();
}
