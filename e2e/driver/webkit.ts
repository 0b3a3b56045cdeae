import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { Builder, By, Key, type WebDriver } from 'selenium-webdriver';
import { freePort } from '../server-process.js';
import type { Engine, EngineBrowser, EnginePage, KeyName } from './engine.js';

const WEBDRIVER = '/usr/bin/WebKitWebDriver';
const XVFB = '/usr/bin/Xvfb';
const START_TIMEOUT_MS = 30_000;

/** MiniBrowser, WebKitGTK's test browser: `<libdir>/webkit2gtk-4.1/MiniBrowser` (from `dpkg -L`). */
export function miniBrowserPath(): string | undefined {
  if (process.env.MINIBROWSER_PATH) return process.env.MINIBROWSER_PATH;
  try {
    const files = execFileSync('dpkg', ['-L', 'libwebkit2gtk-4.1-0'], { encoding: 'utf8' }).split('\n');
    return files.find((f) => f.endsWith('/webkit2gtk-4.1/MiniBrowser'));
  } catch {
    return undefined;
  }
}

const KEYS: Record<KeyName, string> = {
  Enter: Key.ENTER,
  ArrowDown: Key.ARROW_DOWN,
  ArrowUp: Key.ARROW_UP,
  Escape: Key.ESCAPE,
  Tab: Key.TAB,
};

/** Starts a child and resolves once `ready()` holds, within START_TIMEOUT_MS; kills it otherwise. */
async function startChild(child: ChildProcess, ready: () => Promise<boolean>, what: string): Promise<void> {
  const deadline = Date.now() + START_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`${what} exited with ${child.exitCode}`);
    if (await ready().catch(() => false)) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  child.kill('SIGKILL');
  throw new Error(`${what} did not start within ${START_TIMEOUT_MS} ms`);
}

/** An Xvfb on a display number it picks itself (`-displayfd`): MiniBrowser has no headless mode. */
async function startXvfb(): Promise<{ display: string; child: ChildProcess }> {
  const child = spawn(XVFB, ['-displayfd', '3', '-screen', '0', '1600x1200x24', '-nolisten', 'tcp'], {
    stdio: ['ignore', 'ignore', 'ignore', 'pipe'],
  });
  let display = '';
  child.stdio[3]?.on('data', (chunk: Buffer) => {
    display += chunk.toString();
  });
  await startChild(child, async () => display.endsWith('\n'), 'Xvfb');
  return { display: `:${display.trim()}`, child };
}

/**
 * WebKit (Safari's engine) as WebKitGTK's MiniBrowser through WebKitWebDriver and
 * selenium-webdriver (W3C WebDriver classic), on an Xvfb display. A WebKitWebDriver serves one
 * session at a time, so each page gets its own driver and MiniBrowser: an automation session
 * is ephemeral, so each has its own storage.
 */
export const webkitEngine: Engine = {
  name: 'webkit',
  // W3C WebDriver classic has no script-before-the-page call
  initScripts: false,
  missing: () => {
    const lacking = [WEBDRIVER, XVFB].filter((f) => !existsSync(f));
    if (lacking.length > 0 || !miniBrowserPath())
      return `WebKit is missing (${[...lacking, 'MiniBrowser'].join(', ')}): apt-get install -y webkit2gtk-driver xvfb xauth`;
    return undefined;
  },
  async launch(): Promise<EngineBrowser> {
    const binary = miniBrowserPath();
    if (!binary) throw new Error('MiniBrowser not found: apt-get install -y webkit2gtk-driver');
    const xvfb = await startXvfb();
    const children = new Set<ChildProcess>([xvfb.child]);
    const sessions = new Set<WebDriver>();
    // `dpkg-query -W` prints "package<TAB>version"
    const version = execFileSync('dpkg-query', ['-W', 'libwebkit2gtk-4.1-0'], { encoding: 'utf8' })
      .split('\t')[1]
      ?.trim();

    const openSession = async (): Promise<{ driver: WebDriver; child: ChildProcess }> => {
      const port = await freePort();
      const child = spawn(WEBDRIVER, [`--port=${port}`, '--host=127.0.0.1'], {
        // a C locale, as on a bare Linux kiosk: WebKitGTK then reports navigator.language "C",
        // which the dashboard must survive (apps/dashboard/src/lib/page-language.ts)
        env: { ...process.env, DISPLAY: xvfb.display, LANG: 'C.UTF-8', LC_ALL: 'C.UTF-8' },
        stdio: 'ignore',
      });
      children.add(child);
      const base = `http://127.0.0.1:${port}`;
      await startChild(child, async () => (await fetch(`${base}/status`)).ok, 'WebKitWebDriver');
      const driver = await new Builder()
        .usingServer(base)
        .withCapabilities({
          browserName: 'MiniBrowser',
          'webkitgtk:browserOptions': { binary, args: ['--automation'] },
        })
        .build();
      sessions.add(driver);
      return { driver, child };
    };

    return {
      name: 'webkit',
      version: `WebKitGTK ${version}`,
      async newPage(viewport): Promise<EnginePage> {
        const { driver, child } = await openSession();
        await driver
          .manage()
          .window()
          .setRect({ x: 0, y: 0, ...viewport });
        await driver.manage().setTimeouts({ script: 30_000, pageLoad: 60_000 });
        const element = (selector: string) => driver.findElement(By.css(selector));
        return {
          goto: (url) => driver.get(url),
          reload: () => driver.navigate().refresh(),
          evaluate: <T>(expression: string) =>
            driver
              .executeAsyncScript<{ ok?: T; error?: string }>(
                `const done = arguments[arguments.length - 1];
                 Promise.resolve().then(() => (${expression}))
                   .then((ok) => done({ ok }), (e) => done({ error: String(e && e.stack || e) }));`,
              )
              .then((r) => {
                if (r.error !== undefined) throw new Error(`webkit: evaluate failed: ${r.error}`);
                return r.ok as T;
              }),
          click: async (selector) => (await element(selector)).click(),
          fill: async (selector, value) => {
            const el = await element(selector);
            // select what is there and type over it: Element Clear does not fire the input event React listens to
            await driver.executeScript('arguments[0].focus(); arguments[0].select();', el);
            await el.sendKeys(Key.BACK_SPACE);
            if (value) await el.sendKeys(value);
          },
          press: async (selector, key) => (await element(selector)).sendKeys(KEYS[key]),
          selectOption: async (selector, value) =>
            (await element(`${selector} option[value=${JSON.stringify(value)}]`)).click(),
          screenshot: async (file) => {
            // W3C WebDriver has no full-page screenshot: the viewport only
            writeFileSync(file, Buffer.from(await driver.takeScreenshot(), 'base64'));
          },
          close: async () => {
            sessions.delete(driver);
            await driver.quit().catch(() => {});
            child.kill('SIGTERM');
            children.delete(child);
          },
        };
      },
      async close() {
        for (const driver of sessions) await driver.quit().catch(() => {});
        sessions.clear();
        for (const child of children) child.kill('SIGTERM');
        children.clear();
      },
    };
  },
};
