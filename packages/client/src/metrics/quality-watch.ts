import type { ClientLogger } from '../connection/service-options.js';

/** A quality score's band, as the dashboard shows it: good >= 80, fair >= 50, poor below. */
export type QualityBand = 'good' | 'fair' | 'poor';

export function qualityBand(score: number): QualityBand {
  if (score >= 80) return 'good';
  if (score >= 50) return 'fair';
  return 'poor';
}

/** What a person at the desk reads for each band. */
export const QUALITY_WORDS: Readonly<Record<QualityBand, string>> = Object.freeze({
  good: 'connection good',
  fair: 'connection fair: actions may take a moment',
  poor: 'connection poor: actions are kept and sent',
});

/**
 * Reports each change of the quality band through the logger (warn when it gets worse,
 * info when it recovers), once per change, not once per reading.
 */
export class QualityWatch {
  readonly #logger: ClientLogger | undefined;
  #band: QualityBand = 'good';

  constructor(logger: ClientLogger | undefined) {
    this.#logger = logger;
  }

  get band(): QualityBand {
    return this.#band;
  }

  /** Returns the band of `score`; logs when it differs from the last one. */
  observe(score: number, state: string): QualityBand {
    const band = qualityBand(score);
    if (band === this.#band) return band;
    const worse = rank(band) > rank(this.#band);
    const fields = { from: this.#band, to: band, score: Math.round(score), state };
    this.#band = band;
    if (worse) this.#logger?.warn(fields, QUALITY_WORDS[band]);
    else this.#logger?.info(fields, QUALITY_WORDS[band]);
    return band;
  }
}

const rank = (b: QualityBand): number => (b === 'good' ? 0 : b === 'fair' ? 1 : 2);
