import type { Alert } from '@av-gym/protocol';
import type { Condition } from './alert-rules.js';

/**
 * Each alert's state machine: a condition that starts holding is `pending`; once it has held for
 * its rule's `forMs` it is `firing`; when it stops holding a firing alert is `resolved` (a
 * pending one is dropped: it never fired). Returns the alerts that changed state, each once.
 * Bounded: one entry per (rule, subject) that holds now, and the rules and subjects are bounded
 * by the fleet (CLIENT_STATS_MAX_ROWS desks) and the node.
 */
export class AlertTracker {
  readonly #node: () => string;
  readonly #newId: (at: number) => string;
  readonly #open = new Map<string, Alert>();

  constructor(node: () => string, newId: (at: number) => string) {
    this.#node = node;
    this.#newId = newId;
  }

  /** Alerts pending or firing now. */
  open(): Alert[] {
    return [...this.#open.values()];
  }

  /**
   * Applies one evaluation: `conditions` hold at `now`; `scope` says which rules were evaluated
   * (an alert of a rule not evaluated this time, e.g. desk rules on a node that is not the
   * evaluator any more, is left as it is). Returns what changed.
   */
  update(now: number, conditions: readonly Condition[], scope: (rule: Alert['rule']) => boolean): Alert[] {
    const changed: Alert[] = [];
    const holding = new Set<string>();
    for (const c of conditions) {
      const key = `${c.rule}\u0000${c.subject}`;
      holding.add(key);
      const existing = this.#open.get(key);
      const startedAt = existing?.startedAt ?? Math.min(now, c.since ?? now);
      const due = now - startedAt >= c.forMs;
      if (!existing) {
        const alert: Alert = {
          id: this.#newId(now),
          rule: c.rule,
          subject: c.subject,
          severity: c.severity,
          state: due ? 'firing' : 'pending',
          summary: c.summary,
          value: c.value,
          node: this.#node(),
          startedAt,
          firedAt: due ? now : null,
          resolvedAt: null,
          updatedAt: now,
        };
        this.#open.set(key, alert);
        changed.push(alert);
        continue;
      }
      const fires = existing.state === 'pending' && due;
      const next: Alert = {
        ...existing,
        summary: c.summary,
        value: c.value,
        ...(fires ? { state: 'firing' as const, firedAt: now, updatedAt: now } : {}),
      };
      this.#open.set(key, next);
      if (fires) changed.push(next);
    }
    for (const [key, alert] of this.#open) {
      if (holding.has(key) || !scope(alert.rule)) continue;
      this.#open.delete(key);
      if (alert.state === 'firing')
        changed.push({ ...alert, state: 'resolved', resolvedAt: now, updatedAt: now });
    }
    return changed;
  }
}
