import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Tab } from './driver/tab.js';

const require = createRequire(import.meta.url);
const AXE_SOURCE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

/** One axe finding, trimmed to what a failure message needs. */
export interface AxeFinding {
  id: string;
  impact: string;
  help: string;
  targets: string[];
}

/**
 * Runs axe-core (WCAG 2.0-2.2 A and AA rules) in the page and returns its serious and critical
 * violations. The source goes in as the expression the tab evaluates (the engines' evaluate is
 * not bound by the page's CSP, which forbids eval), so every engine is checked the same way.
 */
export async function seriousViolations(tab: Tab): Promise<AxeFinding[]> {
  // Tab.evaluate sends a function's source: a function whose source is axe's installs it
  const install = { toString: () => `() => { ${AXE_SOURCE}\n; return true; }` } as unknown as () => boolean;
  await tab.evaluate(install);
  return tab.evaluate(async () => {
    const axe = (globalThis as unknown as { axe: { run(ctx: unknown, opts: unknown): Promise<unknown> } })
      .axe;
    const result = (await axe.run(document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'] },
      resultTypes: ['violations'],
    })) as {
      violations: { id: string; impact: string; help: string; nodes: { target: unknown[] }[] }[];
    };
    return result.violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => ({
        id: v.id,
        impact: v.impact,
        help: v.help,
        targets: v.nodes.slice(0, 5).map((n) => n.target.map(String).join(' ')),
      }));
  });
}

/** Null when the page fits its width; else the widest element past the right edge, and by how much. */
export function sidewaysScroll(tab: Tab): Promise<string | null> {
  return tab.evaluate(() => {
    const width = document.documentElement.clientWidth;
    if (document.documentElement.scrollWidth <= width + 1) return null;
    let worst: { el: Element; right: number } | null = null;
    for (const el of document.body.querySelectorAll('*')) {
      const right = el.getBoundingClientRect().right;
      if (right > width + 1 && (!worst || right > worst.right)) worst = { el, right };
    }
    const el = worst?.el;
    const name = el ? `${el.tagName.toLowerCase()}.${[...el.classList].join('.')}` : 'unknown';
    return `${name} reaches ${Math.round(worst?.right ?? 0)} px of ${width}`;
  });
}
