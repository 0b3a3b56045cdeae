import { existsSync } from 'node:fs';
import puppeteer from 'puppeteer-core';
import type { Engine, EngineBrowser, EnginePage } from './engine.js';

/** Debian's Firefox ESR. */
export const FIREFOX_PATH = process.env.FIREFOX_PATH ?? '/usr/bin/firefox-esr';

/**
 * Firefox through puppeteer-core over WebDriver BiDi, headless, one browser context (a BiDi
 * user context: its own cookies and storage) per page. Puppeteer makes and removes the profile.
 */
export const firefoxEngine: Engine = {
  name: 'firefox',
  initScripts: true,
  missing: () =>
    existsSync(FIREFOX_PATH) ? undefined : `${FIREFOX_PATH} is missing: apt-get install -y firefox-esr`,
  async launch(): Promise<EngineBrowser> {
    const browser = await puppeteer.launch({
      browser: 'firefox',
      executablePath: FIREFOX_PATH,
      headless: true,
      protocolTimeout: 60_000,
      // several desks are tabs of one window: the ones behind must keep the timers a desk runs on
      extraPrefsFirefox: {
        'dom.min_background_timeout_value': 4,
        'dom.min_background_timeout_value_without_budget_throttling': 4,
        'dom.timeout.enable_budget_timer_throttling': false,
      },
    });
    const version = await browser.version();
    return {
      name: 'firefox',
      version,
      async newPage(viewport): Promise<EnginePage> {
        const context = await browser.createBrowserContext();
        const page = await context.newPage();
        await page.setViewport(viewport);
        // input goes to the tab in front, as a person switches desks (a tab behind paints no frames)
        const handle = async (selector: string) => {
          await page.bringToFront();
          const found = await page.$(selector);
          if (!found) throw new Error(`firefox: ${selector} is gone`);
          return found;
        };
        return {
          goto: async (url) => {
            await page.goto(url);
          },
          reload: async () => {
            await page.reload();
          },
          addInitScript: async (source) => {
            await page.evaluateOnNewDocument(source);
          },
          evaluate: <T>(expression: string) => page.evaluate(expression) as Promise<T>,
          click: async (selector) => (await handle(selector)).click(),
          fill: async (selector, value) => {
            const field = await handle(selector);
            // select what is there and type over it, so React sees the input events
            await field.evaluate((el) => {
              (el as HTMLInputElement).focus();
              (el as HTMLInputElement).select();
            });
            await field.press('Backspace');
            if (value) await field.type(value);
          },
          press: async (selector, key) => (await handle(selector)).press(key),
          selectOption: async (selector, value) => {
            await (await handle(selector)).select(value);
          },
          screenshot: async (file, options) => {
            await page.bringToFront();
            await page.screenshot({ path: file, fullPage: options?.fullPage ?? false });
          },
          close: () => context.close(),
        };
      },
      async close() {
        await browser.close().catch(() => {});
      },
    };
  },
};
