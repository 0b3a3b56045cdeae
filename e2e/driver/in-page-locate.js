// Runs inside the page under test, in every engine (plain browser JavaScript, no build).
// Defines globalThis.__avGymLocate(steps, mark): finds elements as Playwright's locators do
// (role and accessible name, label, text, has-text filters, nth), using Testing Library's
// role and label queries (injected beside this file), and marks the first match with
// data-e2e-target=mark so the engine's own input calls can address it by CSS.
(() => {
  const dom = globalThis.TestingLibraryDom;
  const normalise = (s) => (s ?? '').replace(/\s+/g, ' ').trim();
  const matcher = (text, exact) => {
    if (typeof text === 'object' && text !== null) {
      const re = new RegExp(text.regex, text.flags);
      return (s) => re.test(normalise(s));
    }
    const want = normalise(text);
    if (exact) return (s) => normalise(s) === want;
    const lower = want.toLowerCase();
    return (s) => normalise(s).toLowerCase().includes(lower);
  };
  const byText = (root, matches) => {
    const found = [];
    for (const el of root.querySelectorAll('*')) {
      if (el.closest('script, style, head')) continue;
      if (!matches(el.textContent)) continue;
      // the innermost element holding the whole text, as Playwright's getByText picks
      if (Array.from(el.children).some((child) => matches(child.textContent))) continue;
      found.push(el);
    }
    return found;
  };
  const visible = (el) =>
    typeof el.checkVisibility === 'function' ? el.checkVisibility() : el.getClientRects().length > 0;
  const query = (root, step) => {
    switch (step.by) {
      case 'role': {
        const options = { hidden: false };
        if (step.name !== undefined) {
          const m = matcher(step.name, step.exact);
          options.name = (name) => m(name);
        }
        return dom.queryAllByRole(root, step.role, options);
      }
      case 'label': {
        const m = matcher(step.text, step.exact);
        return dom.queryAllByLabelText(root, (content) => m(content), { exact: true });
      }
      case 'text':
        return byText(root, matcher(step.text, step.exact));
      default:
        throw new Error(`unknown locator step ${JSON.stringify(step)}`);
    }
  };
  globalThis.__avGymLocate = (steps, mark) => {
    let current = [document.body];
    for (const step of steps) {
      if (step.by === 'hasText') {
        const m = matcher(step.text, false);
        current = current.filter((el) => m(el.textContent));
      } else if (step.by === 'nth') {
        current = current.slice(step.index, step.index + 1);
      } else {
        const next = new Set();
        for (const root of current) for (const el of query(root, step)) next.add(el);
        // document order, whatever the roots' order
        current = Array.from(next).sort((a, b) =>
          a.compareDocumentPosition(b) & Node.DOCUMENT_POSITION_FOLLOWING ? -1 : 1,
        );
      }
    }
    for (const old of document.querySelectorAll('[data-e2e-target]')) old.removeAttribute('data-e2e-target');
    const first = current[0];
    if (first && mark) first.setAttribute('data-e2e-target', mark);
    return {
      count: current.length,
      visible: first ? visible(first) : false,
      enabled: first ? !first.disabled && first.getAttribute('aria-disabled') !== 'true' : false,
      checked: first && 'checked' in first ? Boolean(first.checked) : null,
      text: first ? first.textContent : null,
    };
  };
})();
