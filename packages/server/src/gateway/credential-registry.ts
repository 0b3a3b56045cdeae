import { type RateLimits, type SharedBudget, sharedBudget } from './rate-budget.js';

interface Entry<M> {
  members: Set<M>;
  budget: SharedBudget;
}

/**
 * The open connections of each credential and the rate budget they share. An entry lives only
 * while its credential has a connection, so the map is bounded by the open connections (and so
 * by MAX_CONNECTIONS); a credential that comes back starts with a full budget.
 */
export class CredentialRegistry<M> {
  private readonly entries = new Map<string, Entry<M>>();

  constructor(
    private readonly limits: RateLimits,
    private readonly now: () => number,
  ) {}

  /** Adds `member` under `credentialId`; returns the budget it shares with the others. */
  join(credentialId: string, member: M): SharedBudget {
    let entry = this.entries.get(credentialId);
    if (!entry) {
      entry = { members: new Set(), budget: sharedBudget(this.limits, this.now) };
      this.entries.set(credentialId, entry);
    }
    entry.members.add(member);
    return entry.budget;
  }

  /** Removes `member`; the credential's entry goes with its last member. */
  leave(credentialId: string, member: M): void {
    const entry = this.entries.get(credentialId);
    if (!entry) return;
    entry.members.delete(member);
    if (entry.members.size === 0) this.entries.delete(credentialId);
  }

  /** The members of `credentialId` now (a copy: safe to close them while iterating). */
  membersOf(credentialId: string): M[] {
    return [...(this.entries.get(credentialId)?.members ?? [])];
  }

  /** Credentials with at least one member. */
  get size(): number {
    return this.entries.size;
  }
}
