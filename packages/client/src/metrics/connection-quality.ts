/** Weights of the three factors; they sum to 1. Default latency 0.3, drop rate 0.4, stability 0.3. */
export interface QualityWeights {
  latency: number;
  dropRate: number;
  stability: number;
}

export const DEFAULT_QUALITY_WEIGHTS: Readonly<QualityWeights> = Object.freeze({
  latency: 0.3,
  dropRate: 0.4,
  stability: 0.3,
});

/** Points the drop-rate score loses per percent of errors (10: 10% errors or more scores 0). */
export const DEFAULT_DROP_RATE_SLOPE = 10;
/** Points the stability score loses per reconnect in the current window. */
export const STABILITY_PENALTY_PER_RECONNECT = 20;

/** What the score is computed from. */
export interface QualityInputs {
  /** Average round trip of the kept samples, ms (0 when none yet). */
  avgLatencyMs: number;
  /** Messages lost (dropped, timed out, refused by a full queue) / messages settled, over the quality window (0..1). */
  errorRate: number;
  /** Reconnects over the quality window. */
  reconnects: number;
}

/** The connection's quality 0-100 and each factor 0-100. */
export interface QualitySnapshot {
  score: number;
  latency: number;
  dropRate: number;
  stability: number;
  weights: QualityWeights;
  inputs: QualityInputs;
}

const clamp100 = (x: number): number => Math.min(100, Math.max(0, x));

/** 100 up to 100 ms, then falling linearly to 0 at 1000 ms and above. */
export function latencyScore(avgLatencyMs: number): number {
  if (avgLatencyMs <= 100) return 100;
  if (avgLatencyMs >= 1000) return 0;
  return (100 * (1000 - avgLatencyMs)) / 900;
}

/** 100 at no errors, minus `slope` points per percent of errors (default 10). */
export function dropRateScore(errorRate: number, slope = DEFAULT_DROP_RATE_SLOPE): number {
  return clamp100(100 - slope * 100 * Math.max(0, errorRate));
}

/** 100 minus 20 per reconnect, floored at 0. */
export function stabilityScore(reconnects: number): number {
  return clamp100(100 - STABILITY_PENALTY_PER_RECONNECT * Math.max(0, reconnects));
}

/**
 * The seed's score: `0.3 * latency + 0.4 * dropRate + 0.3 * stability`.
 * @example
 * connectionQuality({ avgLatencyMs: 550, errorRate: 0.02, reconnects: 1 }).score; // 0.3*50 + 0.4*80 + 0.3*80 = 71
 */
export function connectionQuality(
  inputs: QualityInputs,
  weights: QualityWeights = DEFAULT_QUALITY_WEIGHTS,
  dropRateSlope = DEFAULT_DROP_RATE_SLOPE,
): QualitySnapshot {
  const latency = latencyScore(inputs.avgLatencyMs);
  const dropRate = dropRateScore(inputs.errorRate, dropRateSlope);
  const stability = stabilityScore(inputs.reconnects);
  const score = weights.latency * latency + weights.dropRate * dropRate + weights.stability * stability;
  return { score, latency, dropRate, stability, weights: { ...weights }, inputs: { ...inputs } };
}
