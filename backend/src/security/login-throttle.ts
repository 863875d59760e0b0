import { Clock } from '../common/clock';
import type { MonotonicClock, RateLimitDecision } from './rate-limiter';

export interface LoginThrottleOptions {
  /** The failure that starts the lockouts (5: failures 1–4 cost nothing). */
  readonly lockoutAfterFailures?: number;
  /** Lockout after the first counted failure; it doubles with every further failure. */
  readonly baseDelaySeconds?: number;
  readonly maxDelaySeconds?: number;
  /** A key with no failure for this long starts clean (and is dropped from memory). */
  readonly forgetAfterSeconds?: number;
  /** Hard bound on tracked keys; past it the key with the oldest failure is dropped. */
  readonly maxKeys?: number;
  readonly clock?: MonotonicClock;
}

interface Entry {
  failures: number;
  lastFailureMs: number;
  lockedUntilMs: number;
}

/** One throttle key per account and client address; the account is compared case-insensitively. */
export function throttleKey(account: string, ip: string): string {
  return JSON.stringify([account.trim().toLowerCase(), ip]);
}

/**
 * Failed-login lockout with exponential backoff per key (see `throttleKey`). With the defaults,
 * failures 1–4 are free, then the 5th, 6th, 7th … lock the key for 1 s, 2 s, 4 s … up to 15 min.
 * In memory, per instance. Pair it with a per-IP RateLimiter: it does not stop one address from
 * spraying many accounts, nor parallel attempts that all pass `check` before any failure is recorded.
 */
export class LoginThrottle {
  private readonly entries = new Map<string, Entry>();
  private readonly lockoutAfterFailures: number;
  private readonly baseDelayMs: number;
  private readonly maxDelayMs: number;
  private readonly forgetAfterMs: number;
  private readonly maxKeys: number;
  private readonly clock: MonotonicClock;

  constructor(options: LoginThrottleOptions = {}) {
    this.lockoutAfterFailures = options.lockoutAfterFailures ?? 5;
    this.baseDelayMs = (options.baseDelaySeconds ?? 1) * 1000;
    this.maxDelayMs = (options.maxDelaySeconds ?? 15 * 60) * 1000;
    this.forgetAfterMs = (options.forgetAfterSeconds ?? 60 * 60) * 1000;
    this.maxKeys = options.maxKeys ?? 10_000;
    this.clock = options.clock ?? new Clock();
    if (this.forgetAfterMs < this.maxDelayMs) {
      throw new RangeError(
        'forgetAfterSeconds must be at least maxDelaySeconds, or lockouts would be forgotten',
      );
    }
    if (!(this.maxKeys >= 1) || !(this.lockoutAfterFailures >= 1)) {
      throw new RangeError('LoginThrottle needs maxKeys >= 1 and lockoutAfterFailures >= 1');
    }
  }

  /** Call before verifying the password; a denied attempt must not be verified nor recorded. */
  check(key: string): RateLimitDecision {
    const now = this.clock.monotonicMs();
    const entry = this.live(key, now);
    return entry ? this.decision(entry, now) : { allowed: true };
  }

  /** @returns the decision for the next attempt. */
  recordFailure(key: string): RateLimitDecision {
    const now = this.clock.monotonicMs();
    const entry = this.live(key, now) ?? { failures: 0, lastFailureMs: now, lockedUntilMs: 0 };
    entry.failures += 1;
    entry.lastFailureMs = now;
    const doublings = entry.failures - this.lockoutAfterFailures;
    if (doublings >= 0) {
      // Exponent capped so the doubling cannot overflow to Infinity.
      entry.lockedUntilMs = now + Math.min(this.maxDelayMs, this.baseDelayMs * 2 ** Math.min(doublings, 40));
    }
    // Re-insert so the Map stays ordered by last failure.
    this.entries.delete(key);
    this.entries.set(key, entry);
    this.evict(now);
    return this.decision(entry, now);
  }

  recordSuccess(key: string): void {
    this.entries.delete(key);
  }

  /** Tracked keys, for tests and metrics. */
  get size(): number {
    return this.entries.size;
  }

  private live(key: string, now: number): Entry | undefined {
    const entry = this.entries.get(key);
    if (entry && now - entry.lastFailureMs >= this.forgetAfterMs) {
      this.entries.delete(key);
      return undefined;
    }
    return entry;
  }

  private decision(entry: Entry, now: number): RateLimitDecision {
    const waitMs = entry.lockedUntilMs - now;
    return waitMs > 0 ? { allowed: false, retryAfterSeconds: Math.ceil(waitMs / 1000) } : { allowed: true };
  }

  private evict(now: number): void {
    for (const [key, entry] of this.entries) {
      const stale = now - entry.lastFailureMs >= this.forgetAfterMs;
      if (!stale && this.entries.size <= this.maxKeys) return;
      this.entries.delete(key);
    }
  }
}
