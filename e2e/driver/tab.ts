import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { EngineName, EnginePage } from './engine.js';
import {
  type Action,
  Locator,
  type LocatorHost,
  type Resolution,
  type Step,
  type TextMatch,
} from './locator.js';

const require = createRequire(import.meta.url);

/** Testing Library's DOM queries (UMD: sets globalThis.TestingLibraryDom) and our locate function. */
const IN_PAGE_SOURCE = [
  readFileSync(require.resolve('@testing-library/dom/dist/@testing-library/dom.umd.min.js'), 'utf8'),
  readFileSync(new URL('./in-page-locate.js', import.meta.url), 'utf8'),
].join(';\n');

/**
 * One page of one engine, as the scenarios see it: Playwright-like locators by role, label and
 * text, script evaluation and screenshots, the same in every engine.
 */
export class Tab implements LocatorHost {
  readonly describe: string;

  constructor(
    readonly engine: EngineName,
    private readonly page: EnginePage,
  ) {
    this.describe = `[${engine}]`;
  }

  goto(url: string): Promise<void> {
    return this.page.goto(url);
  }

  /** Whether this engine can run a script before the page's own (see addInitScript). */
  get canAddInitScript(): boolean {
    return this.page.addInitScript !== undefined;
  }

  /** Runs `fn` before the page's own scripts in every document from now on (not in WebKit). */
  addInitScript(fn: () => void): Promise<void> {
    if (!this.page.addInitScript)
      throw new Error(`${this.describe} cannot run scripts before the page's own`);
    return this.page.addInitScript(`(${fn.toString()})();`);
  }

  /** Reloads the page; the next locator use injects the locate script again. */
  reload(): Promise<void> {
    return this.page.reload();
  }

  getByRole(role: string, options?: { name?: TextMatch; exact?: boolean }): Locator {
    return new Locator(this, []).getByRole(role, options);
  }

  getByLabel(text: TextMatch, options?: { exact?: boolean }): Locator {
    return new Locator(this, []).getByLabel(text, options);
  }

  getByText(text: TextMatch, options?: { exact?: boolean }): Locator {
    return new Locator(this, []).getByText(text, options);
  }

  /**
   * Runs `fn` in the page with `arg` (both must survive JSON: `fn` is sent as its source, so it
   * may use only its argument and the page's globals) and returns its JSON result.
   */
  evaluate<T, A = undefined>(fn: (arg: A) => T | Promise<T>, arg?: A): Promise<T> {
    return this.page.evaluate<T>(`(${fn.toString()})(${JSON.stringify(arg ?? null)})`);
  }

  /** A PNG once the page has painted its last change (WebKit's snapshot can lag a frame behind). */
  async screenshot(options: { path: string; fullPage?: boolean }): Promise<void> {
    await this.page.evaluate<boolean>(
      `new Promise((done) => { const t = setTimeout(() => done(false), 1000);
         requestAnimationFrame(() => requestAnimationFrame(() => { clearTimeout(t); done(true); })); })`,
    );
    return this.page.screenshot(options.path, { fullPage: options.fullPage });
  }

  /** A pause for the page's own timers (never an assertion by itself). */
  waitForTimeout(ms: number): Promise<void> {
    return new Promise((resolve) => setTimeout(resolve, ms));
  }

  close(): Promise<void> {
    return this.page.close();
  }

  async resolve(steps: readonly Step[], mark: string | undefined): Promise<Resolution> {
    const call = `globalThis.__avGymLocate ? globalThis.__avGymLocate(${JSON.stringify(steps)}, ${JSON.stringify(mark ?? null)}) : null`;
    const first = await this.page.evaluate<Resolution | null>(call);
    if (first) return first;
    // a new document (first use, or a navigation): inject the locate function, then ask again
    await this.page.evaluate<boolean>(`(() => { ${IN_PAGE_SOURCE}\n; return true; })()`);
    const again = await this.page.evaluate<Resolution | null>(call);
    if (!again) throw new Error(`${this.describe} could not install the locate script in the page`);
    return again;
  }

  act(action: Action, selector: string): Promise<void> {
    switch (action.kind) {
      case 'click':
        return this.page.click(selector);
      case 'fill':
        return this.page.fill(selector, action.value);
      case 'press':
        return this.page.press(selector, action.key);
      case 'select':
        return this.page.selectOption(selector, action.value);
    }
  }
}
