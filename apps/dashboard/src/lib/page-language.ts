/** The part of `navigator` this reads and may shadow. */
export interface LanguageHolder {
  readonly language: string;
}

/** What the page falls back to when the browser's language is no BCP 47 tag. */
export const FALLBACK_LANGUAGE = 'en-US';

/**
 * Makes `navigator.language` a tag `Intl` accepts. WebKitGTK under a C/POSIX locale (a kiosk
 * or a container with LANG=C) reports "C", and `Intl.NumberFormat("C")` throws a RangeError:
 * uPlot builds one from `navigator.language` when it loads, so the performance monitor would
 * never render. Then the page uses en-US (shadowing the getter on this navigator object only);
 * a valid language is left alone. Returns the language the page ends up with.
 */
export function ensureValidLanguage(holder: LanguageHolder = navigator): string {
  try {
    Intl.getCanonicalLocales(holder.language);
    return holder.language;
  } catch {
    Object.defineProperty(holder, 'language', { value: FALLBACK_LANGUAGE, configurable: true });
    return FALLBACK_LANGUAGE;
  }
}
