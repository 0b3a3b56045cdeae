import type { KeyName } from './engine.js';

/** Text to match: a string (case-insensitive substring, or whole when `exact`) or a RegExp. */
export type TextMatch = string | RegExp;
type WireText = string | { regex: string; flags: string };

/** One step of a locator, as in-page-locate.js reads it. */
export type Step =
  | { by: 'role'; role: string; name?: WireText; exact?: boolean }
  | { by: 'label'; text: WireText; exact?: boolean }
  | { by: 'text'; text: WireText; exact?: boolean }
  | { by: 'hasText'; text: WireText }
  | { by: 'nth'; index: number };

/** What the page says about a locator's matches (the first one is marked for the engine). */
export interface Resolution {
  count: number;
  visible: boolean;
  enabled: boolean;
  checked: boolean | null;
  text: string | null;
}

/** What a Locator needs from its tab: resolve steps in the page, act on the marked element. */
export interface LocatorHost {
  resolve(steps: readonly Step[], mark: string | undefined): Promise<Resolution>;
  act(action: Action, selector: string): Promise<void>;
  readonly describe: string;
}

export type Action =
  | { kind: 'click' }
  | { kind: 'fill'; value: string }
  | { kind: 'press'; key: KeyName }
  | { kind: 'select'; value: string };

/** Waits and actions give up after this long unless told otherwise (generous: 2 busy cores). */
export const DEFAULT_TIMEOUT_MS = 20_000;
const POLL_MS = 100;

const wire = (text: TextMatch): WireText =>
  text instanceof RegExp ? { regex: text.source, flags: text.flags } : text;

let marks = 0;

/**
 * A lazy description of elements, re-resolved in the page on every use (as Playwright's
 * Locator is). Actions wait until exactly one element matches and it is visible and enabled.
 */
export class Locator {
  constructor(
    private readonly host: LocatorHost,
    private readonly steps: readonly Step[],
  ) {}

  getByRole(role: string, options: { name?: TextMatch; exact?: boolean } = {}): Locator {
    const step: Step = { by: 'role', role, exact: options.exact };
    if (options.name !== undefined) step.name = wire(options.name);
    return this.chain(step);
  }

  getByLabel(text: TextMatch, options: { exact?: boolean } = {}): Locator {
    return this.chain({ by: 'label', text: wire(text), exact: options.exact });
  }

  getByText(text: TextMatch, options: { exact?: boolean } = {}): Locator {
    return this.chain({ by: 'text', text: wire(text), exact: options.exact });
  }

  filter(options: { hasText: TextMatch }): Locator {
    return this.chain({ by: 'hasText', text: wire(options.hasText) });
  }

  first(): Locator {
    return this.chain({ by: 'nth', index: 0 });
  }

  nth(index: number): Locator {
    return this.chain({ by: 'nth', index });
  }

  /** How many elements match now (no waiting). */
  async count(): Promise<number> {
    return (await this.host.resolve(this.steps, undefined)).count;
  }

  /** Waits until an element matches (and is visible, unless `state: 'attached'`). */
  async waitFor(options: { timeout?: number; state?: 'visible' | 'attached' } = {}): Promise<void> {
    const visible = (options.state ?? 'visible') === 'visible';
    await this.until((r) => r.count > 0 && (!visible || r.visible), options.timeout, 'to appear');
  }

  /** The first match's textContent, once there is one. */
  async textContent(options: { timeout?: number } = {}): Promise<string | null> {
    return (await this.until((r) => r.count > 0, options.timeout, 'to exist')).text;
  }

  /** True when an element matches now and the first one is visible (no waiting). */
  async isVisible(): Promise<boolean> {
    const r = await this.host.resolve(this.steps, undefined);
    return r.count > 0 && r.visible;
  }

  async isChecked(): Promise<boolean> {
    return (await this.until((r) => r.count > 0, undefined, 'to exist')).checked === true;
  }

  click(): Promise<void> {
    return this.act({ kind: 'click' });
  }

  fill(value: string): Promise<void> {
    return this.act({ kind: 'fill', value });
  }

  press(key: KeyName): Promise<void> {
    return this.act({ kind: 'press', key });
  }

  selectOption(value: string): Promise<void> {
    return this.act({ kind: 'select', value });
  }

  /** Clicks a checkbox unless it is checked already, then waits until it is. */
  check(): Promise<void> {
    return this.setChecked(true);
  }

  uncheck(): Promise<void> {
    return this.setChecked(false);
  }

  toString(): string {
    return `${this.host.describe} ${this.steps.map((s) => JSON.stringify(s)).join(' > ')}`;
  }

  private async setChecked(want: boolean): Promise<void> {
    if ((await this.isChecked()) !== want) await this.click();
    await this.until((r) => r.checked === want, undefined, want ? 'to be checked' : 'to be unchecked');
  }

  private chain(step: Step): Locator {
    return new Locator(this.host, [...this.steps, step]);
  }

  /** Resolves until `ok` holds, or throws naming the locator and what it last saw. */
  private async until(
    ok: (r: Resolution) => boolean,
    timeoutMs = DEFAULT_TIMEOUT_MS,
    what: string,
    mark?: string,
  ): Promise<Resolution> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      let r: Resolution | undefined;
      let failure: unknown;
      try {
        r = await this.host.resolve(this.steps, mark);
      } catch (error) {
        // a navigation or reload in progress destroys the page's script context: ask again
        failure = error;
      }
      if (r && ok(r)) return r;
      if (Date.now() > deadline) {
        const seen = r
          ? `${r.count} matched` +
            (r.count > 0
              ? ` (visible ${r.visible}, enabled ${r.enabled}): ${(r.text ?? '').slice(0, 200)}`
              : '')
          : `the page did not answer: ${String(failure)}`;
        throw new Error(`timed out after ${timeoutMs} ms waiting for ${this} ${what}; ${seen}`);
      }
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    }
  }

  /** Waits for one visible, enabled match, marks it, and has the engine act on it (re-trying a re-render). */
  private async act(action: Action): Promise<void> {
    const deadline = Date.now() + DEFAULT_TIMEOUT_MS;
    for (let attempt = 1; ; attempt += 1) {
      marks += 1;
      const mark = `m${marks}`;
      const r = await this.until(
        (res) => res.count >= 1 && res.visible && res.enabled,
        Math.max(1, deadline - Date.now()),
        `to be visible and enabled for ${action.kind}`,
        mark,
      );
      if (r.count > 1)
        throw new Error(`${this} matches ${r.count} elements; ${action.kind} needs exactly one`);
      try {
        await this.host.act(action, `[data-e2e-target="${mark}"]`);
        return;
      } catch (error) {
        // React may have replaced the element between marking and acting: find it again
        if (attempt >= 5 || Date.now() > deadline) throw error;
      }
    }
  }
}
