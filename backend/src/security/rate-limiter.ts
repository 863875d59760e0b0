import { Clock } from '../common/clock';

/** Only the monotonic reading is used: wall-clock jumps must not refill or drain buckets. */
export type MonotonicClock = Pick<Clock, 'monotonicMs'>;

export type RateLimitDecision = { allowed: true } | { allowed: false; retryAfterSeconds: number };

export interface RateLimiterOptions {
  /** Burst size: the most tokens a bucket holds. */
  readonly capacity: number;
  readonly refillPerSecond: number;
  /** Hard bound on tracked keys; past it the least recently used bucket is dropped. */
  readonly maxKeys?: number;
  readonly clock?: MonotonicClock;
}

interface Bucket {
  tokens: number;
  updatedMs: number;
}

/**
 * Token buckets per key (IP, API key, account), in memory: per instance, not shared across a cluster.
 * Buckets live in a Map kept in least-recently-used order, so idle ones are found at the front.
 */
export class RateLimiter {
  private readonly buckets = new Map<string, Bucket>();
  private readonly capacity: number;
  private readonly ratePerMs: number;
  private readonly fullAfterMs: number;
  private readonly maxKeys: number;
  private readonly clock: MonotonicClock;

  constructor(options: RateLimiterOptions) {
    if (!(options.capacity > 0) || !(options.refillPerSecond > 0)) {
      throw new RangeError('RateLimiter needs capacity > 0 and refillPerSecond > 0');
    }
    this.capacity = options.capacity;
    this.ratePerMs = options.refillPerSecond / 1000;
    this.fullAfterMs = options.capacity / this.ratePerMs;
    this.maxKeys = options.maxKeys ?? 10_000;
    if (!(this.maxKeys >= 1)) throw new RangeError('RateLimiter needs maxKeys >= 1');
    this.clock = options.clock ?? new Clock();
  }

  take(key: string, cost = 1): RateLimitDecision {
    if (!(cost > 0) || cost > this.capacity) {
      throw new RangeError(`cost must be in (0, ${this.capacity}], got ${cost}`);
    }
    const now = this.clock.monotonicMs();
    const bucket = this.refilled(key, now);
    // Re-insert so the Map stays ordered by last use.
    this.buckets.delete(key);
    this.buckets.set(key, bucket);
    this.evict(now);
    if (bucket.tokens >= cost) {
      bucket.tokens -= cost;
      return { allowed: true };
    }
    return { allowed: false, retryAfterSeconds: Math.ceil((cost - bucket.tokens) / this.ratePerMs / 1000) };
  }

  /** Tracked keys, for tests and metrics. */
  get size(): number {
    return this.buckets.size;
  }

  private refilled(key: string, now: number): Bucket {
    const bucket = this.buckets.get(key);
    if (!bucket) return { tokens: this.capacity, updatedMs: now };
    const tokens = Math.min(this.capacity, bucket.tokens + (now - bucket.updatedMs) * this.ratePerMs);
    return { tokens, updatedMs: now };
  }

  private evict(now: number): void {
    for (const [key, bucket] of this.buckets) {
      // A bucket idle long enough to be full again is the same as no bucket: dropping it loses nothing.
      const idle = now - bucket.updatedMs >= this.fullAfterMs;
      if (!idle && this.buckets.size <= this.maxKeys) return;
      this.buckets.delete(key);
    }
  }
}
