import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';
import type { Engine, EngineBrowser, EnginePage } from './engine.js';

/** Debian's Chromium; no browser download works on this machine. */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/**
 * Chromium through playwright-core, headless, one browser context per page. Playwright refuses
 * `--user-data-dir` in `launch`; it makes its own temp profile per launch and removes it on close,
 * and TMPDIR points that at a folder of ours, removed too.
 */
export const chromiumEngine: Engine = {
  name: 'chromium',
  initScripts: true,
  missing: () =>
    existsSync(CHROMIUM_PATH) ? undefined : `${CHROMIUM_PATH} is missing: apt-get install -y chromium`,
  async launch(): Promise<EngineBrowser> {
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
      name: 'chromium',
      version: browser.version(),
      async newPage(viewport): Promise<EnginePage> {
        const context = await browser.newContext({ viewport, deviceScaleFactor: 1 });
        const page = await context.newPage();
        return {
          goto: async (url) => {
            await page.goto(url);
          },
          reload: async () => {
            await page.reload();
          },
          addInitScript: async (source) => {
            await page.addInitScript(source);
          },
          evaluate: (expression) => page.evaluate(expression),
          click: (selector) => page.locator(selector).click(),
          fill: (selector, value) => page.locator(selector).fill(value),
          press: (selector, key) => page.locator(selector).press(key),
          selectOption: async (selector, value) => {
            await page.locator(selector).selectOption(value);
          },
          screenshot: async (file, options) => {
            await page.screenshot({ path: file, fullPage: options?.fullPage ?? false });
          },
          close: () => context.close(),
        };
      },
      async close() {
        await browser.close().catch(() => {});
        rmSync(profileDir, { recursive: true, force: true });
      },
    };
  },
};
