import { LoginThrottle, throttleKey } from './login-throttle';
import { ManualClock } from '../../test/support/manual-clock';

describe('LoginThrottle', () => {
  let clock: ManualClock;
  let throttle: LoginThrottle;
  const key = throttleKey('Ada@Example.com', '203.0.113.7');

  beforeEach(() => {
    clock = new ManualClock();
    throttle = new LoginThrottle({ clock });
  });

  /** Fail once (waiting out any lockout first) and return the lockout that follows, in seconds. */
  function failAfterWaiting(): number {
    const before = throttle.check(key);
    if (!before.allowed) clock.advance(before.retryAfterSeconds);
    expect(throttle.check(key)).toEqual({ allowed: true });
    const after = throttle.recordFailure(key);
    const checked = throttle.check(key);
    expect(checked).toEqual(after);
    return after.allowed ? 0 : after.retryAfterSeconds;
  }

  it('lets the first four failures through, then backs off 1 s, 2 s, 4 s … capped at 15 min', () => {
    const lockouts = Array.from({ length: 16 }, failAfterWaiting);
    expect(lockouts).toEqual([0, 0, 0, 0, 1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 900, 900]);
  });

  it('unlocks exactly when the lockout ends', () => {
    for (let i = 0; i < 6; i++) throttle.recordFailure(key); // 6th failure: 2 s
    clock.advance(1.5);
    expect(throttle.check(key)).toEqual({ allowed: false, retryAfterSeconds: 1 });
    clock.advance(0.5);
    expect(throttle.check(key)).toEqual({ allowed: true });
  });

  it('resets on success', () => {
    for (let i = 0; i < 8; i++) throttle.recordFailure(key);
    throttle.recordSuccess(key);
    expect(throttle.check(key)).toEqual({ allowed: true });
    expect(Array.from({ length: 5 }, failAfterWaiting)).toEqual([0, 0, 0, 0, 1]);
    expect(throttle.size).toBe(1);
    throttle.recordSuccess(key);
    expect(throttle.size).toBe(0);
  });

  it('keeps accounts and addresses apart, and ignores the case of the account', () => {
    for (let i = 0; i < 10; i++) throttle.recordFailure(key);
    expect(throttle.check(key).allowed).toBe(false);
    expect(throttle.check(throttleKey(' ada@example.com ', '203.0.113.7')).allowed).toBe(false);
    expect(throttle.check(throttleKey('ada@example.com', '198.51.100.1'))).toEqual({ allowed: true });
    expect(throttle.check(throttleKey('bob@example.com', '203.0.113.7'))).toEqual({ allowed: true });
  });

  it('does not confuse keys whose parts contain the separator', () => {
    expect(throttleKey('a|b', 'c')).not.toBe(throttleKey('a', 'b|c'));
    expect(throttleKey('a","b', 'c')).not.toBe(throttleKey('a', 'b","c'));
  });

  it('forgets failures after an hour without one', () => {
    for (let i = 0; i < 4; i++) throttle.recordFailure(key);
    clock.advance(3600);
    expect(throttle.recordFailure(key)).toEqual({ allowed: true }); // counted as the first again
  });

  it('remembers failures made within the hour', () => {
    for (let i = 0; i < 4; i++) throttle.recordFailure(key);
    clock.advance(3599);
    expect(throttle.recordFailure(key)).toEqual({ allowed: false, retryAfterSeconds: 1 });
  });

  it('drops forgotten keys from memory and stays within maxKeys', () => {
    const small = new LoginThrottle({ clock, maxKeys: 50 });
    for (let i = 0; i < 1000; i++) small.recordFailure(`spray:${i}`);
    expect(small.size).toBe(50);
    clock.advance(3600);
    small.recordFailure('late');
    expect(small.size).toBe(1);
  });

  it('takes its thresholds from options', () => {
    const strict = new LoginThrottle({
      clock,
      lockoutAfterFailures: 1,
      baseDelaySeconds: 10,
      maxDelaySeconds: 30,
    });
    expect(strict.recordFailure(key)).toEqual({ allowed: false, retryAfterSeconds: 10 });
    expect(strict.recordFailure(key)).toEqual({ allowed: false, retryAfterSeconds: 20 });
    expect(strict.recordFailure(key)).toEqual({ allowed: false, retryAfterSeconds: 30 });
  });

  it('refuses options that would forget a lockout before it ends', () => {
    expect(() => new LoginThrottle({ maxDelaySeconds: 3600, forgetAfterSeconds: 60 })).toThrow(RangeError);
    expect(() => new LoginThrottle({ lockoutAfterFailures: 0 })).toThrow(RangeError);
  });
});
