/** The three browser engines the seed names; each has one adapter in this folder. */
export const ENGINE_NAMES = ['chromium', 'firefox', 'webkit'] as const;
export type EngineName = (typeof ENGINE_NAMES)[number];

/** A key the suite presses: the names Playwright and Puppeteer share. */
export type KeyName = 'Enter' | 'ArrowDown' | 'ArrowUp' | 'Escape' | 'Tab';

/**
 * What an engine adapter does with one page. Elements are named by a CSS selector the
 * suite's own locator (locator.ts) has just put on them, so an adapter needs no role or
 * label logic of its own: only the engine's native input, script and screenshot calls.
 */
export interface EnginePage {
  goto(url: string): Promise<void>;
  /** Reloads the page (storage kept), as a person pressing F5. */
  reload(): Promise<void>;
  /**
   * Runs `source` in every document this page loads, before the page's own scripts. Only where
   * the protocol allows it (CDP, BiDi); W3C WebDriver classic (WebKit) has no such call.
   */
  addInitScript?(source: string): Promise<void>;
  /** Runs `expression` (a JavaScript expression, awaited if it is a promise) and returns its JSON value. */
  evaluate<T>(expression: string): Promise<T>;
  click(selector: string): Promise<void>;
  /** Replaces the field's value by typing `value` (React sees input events, as from a person). */
  fill(selector: string, value: string): Promise<void>;
  press(selector: string, key: KeyName): Promise<void>;
  /** Chooses the `<option>` whose value is `value` in a `<select>`. */
  selectOption(selector: string, value: string): Promise<void>;
  /** PNG of the viewport, or of the whole page where the engine can (`fullPage`). */
  screenshot(path: string, options?: { fullPage?: boolean }): Promise<void>;
  close(): Promise<void>;
}

/** A running engine: each `newPage` has its own storage (another desk). */
export interface EngineBrowser {
  readonly name: EngineName;
  /** The engine's version as it reports it (for the compatibility table). */
  readonly version: string;
  newPage(viewport: { width: number; height: number }): Promise<EnginePage>;
  close(): Promise<void>;
}

/** One adapter: checks what it needs on this machine, and starts the engine. */
export interface Engine {
  readonly name: EngineName;
  /** Whether its pages have addInitScript. */
  readonly initScripts: boolean;
  /** What is missing to run this engine here (with the apt-get line), or undefined. */
  missing(): string | undefined;
  launch(): Promise<EngineBrowser>;
}
