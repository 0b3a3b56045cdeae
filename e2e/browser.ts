import { chromiumEngine } from './driver/chromium.js';
import { ENGINE_NAMES, type Engine, type EngineBrowser, type EngineName } from './driver/engine.js';
import { firefoxEngine } from './driver/firefox.js';
import { Tab } from './driver/tab.js';
import { webkitEngine } from './driver/webkit.js';

export type { EngineBrowser, EngineName };
export { Tab };

const ENGINES: Record<EngineName, Engine> = {
  chromium: chromiumEngine,
  firefox: firefoxEngine,
  webkit: webkitEngine,
};

/** Every engine the suite knows, or the ones `E2E_BROWSERS` names (comma-separated). */
export function selectedEngines(list = process.env.E2E_BROWSERS): EngineName[] {
  if (!list) return [...ENGINE_NAMES];
  const names = list
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const unknown = names.filter((n) => !(ENGINE_NAMES as readonly string[]).includes(n));
  if (unknown.length > 0 || names.length === 0)
    throw new Error(
      `E2E_BROWSERS / --browser: unknown engine "${unknown.join(', ')}"; use ${ENGINE_NAMES.join(', ')}`,
    );
  return names as EngineName[];
}

/** The engine this test file runs in: its vitest project sets E2E_BROWSER. */
export function currentEngine(): Engine {
  const name = process.env.E2E_BROWSER ?? 'chromium';
  const engine = ENGINES[name as EngineName];
  if (!engine) throw new Error(`E2E_BROWSER=${name}: use one of ${ENGINE_NAMES.join(', ')}`);
  return engine;
}

export function engineByName(name: EngineName): Engine {
  return ENGINES[name];
}

/** Starts the engine, failing with the install line when it is missing on this machine. */
export async function launchBrowser(engine: Engine = currentEngine()): Promise<EngineBrowser> {
  const missing = engine.missing();
  if (missing) throw new Error(missing);
  return engine.launch();
}

/** A new page with its own storage (another desk) at `url`; `initScript` runs before the page's own. */
export async function openDesk(
  browser: EngineBrowser,
  url: string,
  options: { initScript?: () => void } = {},
): Promise<Tab> {
  const tab = new Tab(browser.name, await browser.newPage({ width: 1360, height: 900 }));
  if (options.initScript) await tab.addInitScript(options.initScript);
  await tab.goto(url);
  return tab;
}

/** Signs in through the login form as a person would (as `admin` unless told). */
export async function signIn(page: Tab, password: string, username = 'admin'): Promise<void> {
  await page.getByLabel('Username').fill(username);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('button', { name: 'Sign out' }).waitFor();
}

/** Where a scenario's screenshot goes: Chromium's keeps the docs' old name, the others add theirs. */
export function screenshotPath(name: string, engine: EngineName): string {
  return engine === 'chromium' ? `docs/img/${name}.png` : `docs/img/${name}-${engine}.png`;
}
