import { RateLimiter } from './rate-limiter';
import { ManualClock } from '../../test/support/manual-clock';

describe('RateLimiter', () => {
  let clock: ManualClock;
  beforeEach(() => (clock = new ManualClock()));

  it('allows a burst up to capacity, then says when to retry', () => {
    const limiter = new RateLimiter({ capacity: 3, refillPerSecond: 1, clock });
    expect([1, 2, 3].map(() => limiter.take('ip:1'))).toEqual(Array(3).fill({ allowed: true }));
    expect(limiter.take('ip:1')).toEqual({ allowed: false, retryAfterSeconds: 1 });
  });

  it('refills at the configured rate and never above capacity', () => {
    const limiter = new RateLimiter({ capacity: 2, refillPerSecond: 0.5, clock });
    limiter.take('k');
    limiter.take('k');
    expect(limiter.take('k')).toEqual({ allowed: false, retryAfterSeconds: 2 });
    clock.advance(1.9);
    expect(limiter.take('k')).toEqual({ allowed: false, retryAfterSeconds: 1 });
    clock.advance(0.1);
    expect(limiter.take('k')).toEqual({ allowed: true });
    clock.advance(3600);
    expect(limiter.take('k')).toEqual({ allowed: true });
    expect(limiter.take('k')).toEqual({ allowed: true });
    expect(limiter.take('k').allowed).toBe(false);
  });

  it('keeps keys apart', () => {
    const limiter = new RateLimiter({ capacity: 1, refillPerSecond: 1, clock });
    expect(limiter.take('a')).toEqual({ allowed: true });
    expect(limiter.take('a').allowed).toBe(false);
    expect(limiter.take('b')).toEqual({ allowed: true });
  });

  it('charges the cost, and a denied take costs nothing', () => {
    const limiter = new RateLimiter({ capacity: 10, refillPerSecond: 2, clock });
    expect(limiter.take('k', 7)).toEqual({ allowed: true });
    expect(limiter.take('k', 5)).toEqual({ allowed: false, retryAfterSeconds: 1 });
    expect(limiter.take('k', 3)).toEqual({ allowed: true });
    expect(limiter.take('k', 10)).toEqual({ allowed: false, retryAfterSeconds: 5 });
  });

  it('refuses a cost that could never be paid', () => {
    const limiter = new RateLimiter({ capacity: 5, refillPerSecond: 1, clock });
    expect(() => limiter.take('k', 6)).toThrow(RangeError);
    expect(() => limiter.take('k', 0)).toThrow(RangeError);
  });

  it('refuses nonsense options', () => {
    expect(() => new RateLimiter({ capacity: 0, refillPerSecond: 1 })).toThrow(RangeError);
    expect(() => new RateLimiter({ capacity: 1, refillPerSecond: 0 })).toThrow(RangeError);
    expect(() => new RateLimiter({ capacity: 1, refillPerSecond: 1, maxKeys: 0 })).toThrow(RangeError);
  });

  it('forgets buckets that have been idle long enough to be full again', () => {
    const limiter = new RateLimiter({ capacity: 10, refillPerSecond: 1, clock });
    for (let i = 0; i < 100; i++) limiter.take(`ip:${i}`, 10);
    expect(limiter.size).toBe(100);
    clock.advance(10);
    limiter.take('fresh');
    expect(limiter.size).toBe(1);
  });

  it('keeps buckets that are still refilling', () => {
    const limiter = new RateLimiter({ capacity: 10, refillPerSecond: 1, clock });
    limiter.take('drained', 10);
    clock.advance(9);
    limiter.take('other');
    expect(limiter.size).toBe(2);
    expect(limiter.take('drained', 10)).toEqual({ allowed: false, retryAfterSeconds: 1 });
  });

  it('stays within maxKeys under a flood of distinct keys, dropping the least recently used', () => {
    const limiter = new RateLimiter({ capacity: 1, refillPerSecond: 0.001, maxKeys: 100, clock });
    limiter.take('victim');
    for (let i = 0; i < 10_000; i++) {
      limiter.take(`flood:${i}`);
      if (i % 50 === 0) limiter.take('victim'); // recently used: survives
    }
    expect(limiter.size).toBe(100);
    expect(limiter.take('victim').allowed).toBe(false);
    expect(limiter.take('flood:0')).toEqual({ allowed: true }); // evicted long ago: a fresh bucket
  });
});
