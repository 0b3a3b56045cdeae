/** A score's band: green >= 80, yellow >= 50, red below; each with words and an icon too. */
export type Level = 'good' | 'fair' | 'poor';

export interface LevelBadge {
  level: Level;
  label: string;
  icon: string;
}

const BADGES: Record<Level, LevelBadge> = {
  good: { level: 'good', label: 'Good', icon: '✓' },
  fair: { level: 'fair', label: 'Fair', icon: '!' },
  poor: { level: 'poor', label: 'Poor', icon: '✕' },
};

/** The band of a 0-100 score. */
export function scoreLevel(score: number): LevelBadge {
  if (score >= 80) return BADGES.good;
  if (score >= 50) return BADGES.fair;
  return BADGES.poor;
}

/** Latency score of the seed: 100 below 100 ms, falling linearly to 0 at 1000 ms and above. */
export function latencyScore(latencyMs: number): number {
  if (!Number.isFinite(latencyMs) || latencyMs < 100) return 100;
  if (latencyMs >= 1_000) return 0;
  return ((1_000 - latencyMs) / 900) * 100;
}

/** The band of an average latency, through its score. No samples yet counts as good. */
export function latencyLevel(latencyMs: number | null): LevelBadge {
  return latencyMs === null ? BADGES.good : scoreLevel(latencyScore(latencyMs));
}

/** Drop-rate score: 100 at no errors, 0 at 100 % (rate is a fraction 0-1). */
export function dropRateScore(dropRate: number): number {
  return Math.max(0, Math.min(100, (1 - dropRate) * 100));
}

/** Stability score of the seed: 100 minus 20 per reconnect, never below 0. */
export function stabilityScore(reconnects: number): number {
  return Math.max(0, 100 - 20 * reconnects);
}

/** The seed's weights: latency 30, drop rate 40, stability 30 (percent). */
export const DEFAULT_WEIGHTS = { latency: 30, dropRate: 40, stability: 30 } as const;

export interface QualityFactor {
  key: 'latency' | 'dropRate' | 'stability';
  name: string;
  score: number;
  weightPercent: number;
  /** Points this factor adds to the overall score (score x weight). */
  points: number;
}

/** The three factors behind the quality score, with their weights and contributions. */
export function qualityBreakdown(
  scores: { latency: number; dropRate: number; stability: number },
  weights: { latency: number; dropRate: number; stability: number } = DEFAULT_WEIGHTS,
): { factors: QualityFactor[]; total: number } {
  const weightSum = weights.latency + weights.dropRate + weights.stability || 1;
  const names = { latency: 'Latency', dropRate: 'Drop rate', stability: 'Stability' } as const;
  const factors = (['latency', 'dropRate', 'stability'] as const).map((key) => {
    const weightPercent = (weights[key] / weightSum) * 100;
    const score = clampScore(scores[key]);
    return { key, name: names[key], score, weightPercent, points: (score * weightPercent) / 100 };
  });
  const total = factors.reduce((sum, f) => sum + f.points, 0);
  return { factors, total };
}

function clampScore(score: number): number {
  return Number.isFinite(score) ? Math.max(0, Math.min(100, score)) : 0;
}
