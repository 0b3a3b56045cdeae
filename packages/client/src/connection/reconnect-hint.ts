import { type GoawayFrame, MAX_RECONNECT_HINT_MS } from '@av-gym/protocol';
import type { RandomSource } from '../clock.js';

/** The reconnect window a server hinted before closing with 1012 (service restart). */
export type ReconnectHint = Pick<GoawayFrame, 'reconnectMinMs' | 'reconnectMaxMs'>;

/**
 * The delay before reconnecting after a hinted close: uniform in `[reconnectMinMs,
 * reconnectMaxMs]` (full jitter inside the window, so the desks of a draining node come back spread
 * over it, not in one burst). Both ends are clamped to `[0, MAX_RECONNECT_HINT_MS]`; a window given
 * backwards (max below min) collapses to its lower end.
 */
export function hintedDelayMs(hint: ReconnectHint, random: RandomSource): number {
  const clamp = (ms: number) => Math.min(MAX_RECONNECT_HINT_MS, Math.max(0, Math.floor(ms)));
  const min = clamp(hint.reconnectMinMs);
  const max = Math.max(min, clamp(hint.reconnectMaxMs));
  return min + Math.floor(random() * (max - min));
}
