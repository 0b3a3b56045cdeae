/** How full the gym is: the bar is green, yellow above 75 %, red above 90 %, always with words. */
export function occupancyLevel(
  current: number,
  capacity: number,
): { percent: number; tone: 'good' | 'fair' | 'poor'; label: string } {
  const percent = capacity > 0 ? Math.round((current / capacity) * 1000) / 10 : 0;
  if (percent > 90) return { percent, tone: 'poor', label: 'Nearly full' };
  if (percent > 75) return { percent, tone: 'fair', label: 'Busy' };
  return { percent, tone: 'good', label: 'Room available' };
}
