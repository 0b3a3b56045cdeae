import { describe, expect, it } from 'vitest';
import { ensureValidLanguage, FALLBACK_LANGUAGE } from './page-language.js';

/** A navigator-like object whose language is a getter, as on Navigator.prototype. */
function navigatorWith(language: string): { readonly language: string } {
  const proto = {
    get language() {
      return language;
    },
  };
  return Object.create(proto) as { readonly language: string };
}

describe('ensureValidLanguage', () => {
  it('keeps a valid language', () => {
    const nav = navigatorWith('en-GB');
    expect(ensureValidLanguage(nav)).toBe('en-GB');
    expect(nav.language).toBe('en-GB');
  });

  it('replaces the "C" WebKitGTK reports under a C locale, so Intl accepts it', () => {
    const nav = navigatorWith('C');
    expect(() => new Intl.NumberFormat(nav.language)).toThrow(RangeError);
    expect(ensureValidLanguage(nav)).toBe(FALLBACK_LANGUAGE);
    expect(nav.language).toBe(FALLBACK_LANGUAGE);
    expect(() => new Intl.NumberFormat(nav.language)).not.toThrow();
  });

  it('replaces an empty language too', () => {
    const nav = navigatorWith('');
    expect(ensureValidLanguage(nav)).toBe(FALLBACK_LANGUAGE);
  });
});
