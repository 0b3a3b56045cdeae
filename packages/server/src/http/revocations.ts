import type { RevocationListener } from './credential.js';

/** Why a credential stopped being valid: the close reason its sockets get with 4401. */
export const REVOCATION_REASONS = {
  logout: 'logged out',
  disabled: 'account disabled',
  apiTokenRemoved: 'API token revoked',
  passwordChanged: 'password changed',
} as const;

/** Revoked ids remembered so a check that was already in flight cannot let one back in. */
const RECENT_CAP = 4096;

/**
 * Tells listeners which credentials stopped being valid, and remembers the most recent ones
 * (bounded, oldest evicted first) for checks that raced the revocation.
 */
export class Revocations {
  readonly #listeners = new Set<RevocationListener>();
  readonly #recent = new Set<string>();

  constructor(private readonly onListenerError: (error: unknown) => void = () => {}) {}

  /** Calls `listener` for every revocation from now on; returns a function that stops it. */
  on(listener: RevocationListener): () => void {
    const own: RevocationListener = (ids, reason) => listener(ids, reason);
    this.#listeners.add(own);
    return () => {
      this.#listeners.delete(own);
    };
  }

  /** Remembers and announces `ids` (nothing for an empty list); a throwing listener stops no other. */
  emit(ids: readonly string[], reason: string): void {
    if (ids.length === 0) return;
    this.remember(ids);
    for (const listener of [...this.#listeners]) {
      try {
        listener(ids, reason);
      } catch (error) {
        this.onListenerError(error);
      }
    }
  }

  /** Remembers `ids` as revoked without announcing them (revocations another node announced). */
  remember(ids: readonly string[]): void {
    for (const id of ids) {
      this.#recent.delete(id);
      this.#recent.add(id);
      if (this.#recent.size > RECENT_CAP) {
        const oldest = this.#recent.values().next().value;
        if (oldest !== undefined) this.#recent.delete(oldest);
      }
    }
  }

  /** True when `id` was among the most recent revocations. */
  recentlyRevoked(id: string): boolean {
    return this.#recent.has(id);
  }
}
