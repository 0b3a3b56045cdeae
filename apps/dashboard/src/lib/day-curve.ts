/**
 * A gym's day as a traffic curve: quiet at opening, a morning peak near 07:30, a lunch bump
 * and the evening peak near 18:00. `hour` in 0-24; returns 0-1 (1 at the evening peak).
 */
export function dayIntensity(hour: number): number {
  const bump = (centre: number, width: number, height: number) =>
    height * Math.exp(-((hour - centre) ** 2) / (2 * width ** 2));
  const open = hour >= 6 && hour <= 22 ? 0.12 : 0.02;
  return Math.min(1, open + bump(7.5, 1.1, 0.7) + bump(12.5, 0.9, 0.4) + bump(18, 1.4, 0.88));
}

/** The simulated hour at `elapsed` of `total`: the run covers opening (06:00) to closing (22:00). */
export function simulatedHour(elapsedMs: number, totalMs: number): number {
  const share = totalMs > 0 ? Math.min(1, Math.max(0, elapsedMs / totalMs)) : 0;
  return 6 + share * 16;
}

/** Share of desk actions that are check-outs at `hour`: few in the morning, most at night. */
export function checkOutShare(hour: number, insideCount: number): number {
  if (insideCount === 0) return 0;
  const base = hour < 10 ? 0.3 : hour < 17 ? 0.45 : hour < 20 ? 0.5 : 0.8;
  return Math.min(0.9, base + Math.min(0.2, insideCount / 500));
}
