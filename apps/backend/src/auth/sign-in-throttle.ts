import { LRUCache } from 'lru-cache';

/**
 * Failed sign-ins per account (the e-mail address, case-insensitive), across all client addresses:
 * after `maxFailures` within `windowMs`, the account refuses sign-in attempts until the window
 * ends, so rotating addresses gains an attacker nothing. A successful sign-in clears the count.
 * Per replica, like the per-address limit: N replicas allow at most N × maxFailures guesses.
 */
export class SignInThrottle {
  private readonly failures: LRUCache<string, { count: number; since: number }>;

  constructor(
    readonly maxFailures: number,
    readonly windowMs = 15 * 60_000,
    maxAccounts = 100_000,
  ) {
    this.failures = new LRUCache({ max: maxAccounts, ttl: windowMs, ttlAutopurge: false });
  }

  static account(email: unknown): string | undefined {
    if (typeof email !== 'string') return undefined;
    const normalised = email.trim().toLowerCase();
    return normalised && normalised.length <= 320 ? normalised : undefined;
  }

  /** Milliseconds until `account` may try again, or 0 when it may now. */
  retryAfterMs(account: string): number {
    const entry = this.failures.get(account);
    if (!entry || entry.count < this.maxFailures) return 0;
    return Math.max(1, entry.since + this.windowMs - Date.now());
  }

  failed(account: string): void {
    const entry = this.failures.get(account);
    // the window starts at the first failure and is not extended by later ones
    if (entry) this.failures.set(account, { ...entry, count: entry.count + 1 }, { noUpdateTTL: true });
    else this.failures.set(account, { count: 1, since: Date.now() });
  }

  succeeded(account: string): void {
    this.failures.delete(account);
  }
}
