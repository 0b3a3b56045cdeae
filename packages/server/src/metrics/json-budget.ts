/** Deeper than this counts as over any budget (and is never walked further). */
const MAX_DEPTH = 32;

/**
 * Whether `value` serialises to at most `maxBytes` of JSON (counted in UTF-16 code units, which
 * is bytes for ASCII; `undefined` members counted as if kept). Stops as soon as the budget is spent, so a 1 MB or 100k-deep object costs no more than
 * a small one; never throws.
 */
export function fitsJsonBudget(value: unknown, maxBytes: number): boolean {
  let left = maxBytes;
  const walk = (v: unknown, depth: number): boolean => {
    if (depth > MAX_DEPTH) return false;
    if (v === null || typeof v === 'boolean' || typeof v === 'number') {
      left -= String(v).length;
    } else if (typeof v === 'string') {
      if (v.length + 2 > left) return false;
      left -= JSON.stringify(v).length;
    } else if (Array.isArray(v)) {
      left -= 2;
      for (let i = 0; i < v.length; i++) {
        if (i > 0) left -= 1;
        if (left < 0 || !walk(v[i], depth + 1)) return false;
      }
    } else if (typeof v === 'object') {
      left -= 2;
      let first = true;
      for (const key in v) {
        if (!Object.hasOwn(v, key)) continue;
        if (key.length + 3 > left) return false;
        left -= JSON.stringify(key).length + (first ? 1 : 2);
        first = false;
        if (left < 0 || !walk((v as Record<string, unknown>)[key], depth + 1)) return false;
      }
    }
    return left >= 0;
  };
  return walk(value, 0);
}
