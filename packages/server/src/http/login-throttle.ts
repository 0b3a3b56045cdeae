/** Limits on failed staff logins (ServerConfig.loginLimits; LOGIN_* environment variables). */
export interface LoginLimits {
  /** Failed logins of one username before it must wait (default 5). */
  maxFailures: number;
  /** Failed logins from one IP address before it must wait (default 20). */
  maxFailuresPerIp: number;
  /** The first wait; each further failure doubles it (default 1000 ms). */
  lockoutMs: number;
  /** The longest wait (default 15 min); failures are forgotten after twice this without one. */
  maxLockoutMs: number;
  /** Usernames and IP addresses tracked (each); past it the least recently failed is forgotten (default 10000). */
  trackedKeys: number;
}

interface Failures {
  count: number;
  lastAt: number;
}

/** Failure counts of one kind of key, bounded: the least recently failed key goes first. */
class FailureCounts {
  private readonly entries = new Map<string, Failures>();

  constructor(
    private readonly freeFailures: number,
    private readonly limits: LoginLimits,
  ) {}

  get size(): number {
    return this.entries.size;
  }

  /** Milliseconds before `key` may try again; 0 when it may now. */
  waitMs(key: string, now: number): number {
    const entry = this.current(key, now);
    if (!entry || entry.count < this.freeFailures) return 0;
    const lockMs = Math.min(
      this.limits.lockoutMs * 2 ** (entry.count - this.freeFailures),
      this.limits.maxLockoutMs,
    );
    return Math.max(0, entry.lastAt + lockMs - now);
  }

  fail(key: string, now: number): void {
    const entry = this.current(key, now) ?? { count: 0, lastAt: now };
    this.entries.delete(key); // re-inserted last: Map order is then least recently failed first
    entry.count++;
    entry.lastAt = now;
    this.entries.set(key, entry);
    while (this.entries.size > this.limits.trackedKeys) {
      const oldest = this.entries.keys().next();
      if (oldest.done) break;
      this.entries.delete(oldest.value);
    }
  }

  /** Takes back one failure counted before the outcome was known. */
  undo(key: string): void {
    const entry = this.entries.get(key);
    if (!entry) return;
    entry.count--;
    if (entry.count <= 0) this.entries.delete(key);
  }

  clear(key: string): void {
    this.entries.delete(key);
  }

  private current(key: string, now: number): Failures | undefined {
    const entry = this.entries.get(key);
    if (entry && now - entry.lastAt > 2 * this.limits.maxLockoutMs) {
      this.entries.delete(key);
      return undefined;
    }
    return entry;
  }
}

/**
 * Slows password guessing: per username and per IP, a few free failures, then a wait that doubles
 * with each further failure (up to `maxLockoutMs`). An attempt counts as a failure from the moment
 * it is let through, so concurrent guesses cannot all slip past the limit; a success clears the
 * username and takes its own count back from the IP.
 * @example
 * const waitMs = throttle.attempt(username, request.ip);
 * if (waitMs > 0) return tooMany(waitMs);
 * if (await login()) throttle.succeeded(username, request.ip);
 */
export class LoginThrottle {
  private readonly usernames: FailureCounts;
  private readonly ips: FailureCounts;

  constructor(
    limits: LoginLimits,
    private readonly now: () => number = Date.now,
  ) {
    this.usernames = new FailureCounts(limits.maxFailures, limits);
    this.ips = new FailureCounts(limits.maxFailuresPerIp, limits);
  }

  /** 0 and the attempt counted as a failure (until {@link succeeded}), or the milliseconds to wait. */
  attempt(username: string, ip: string): number {
    const now = this.now();
    const user = userKey(username);
    const waitMs = Math.max(this.usernames.waitMs(user, now), this.ips.waitMs(ip, now));
    if (waitMs > 0) return waitMs;
    this.usernames.fail(user, now);
    this.ips.fail(ip, now);
    return 0;
  }

  succeeded(username: string, ip: string): void {
    this.usernames.clear(userKey(username));
    this.ips.undo(ip);
  }

  /** Keys tracked, for tests and figures. */
  tracked(): { usernames: number; ips: number } {
    return { usernames: this.usernames.size, ips: this.ips.size };
  }
}

/** Case variants of a name share one count. */
const userKey = (username: string) => username.trim().toLowerCase();
