import { describe, expect, it } from 'vitest';
import { refusedConnection, retryDelayMs } from './graphqlSource';

describe('retryDelayMs', () => {
  it('backs off exponentially from 0.5 s up to 10 s, plus jitter under 0.5 s', () => {
    const noJitter = () => 0;
    expect([0, 1, 2, 3, 4, 5, 10].map((n) => retryDelayMs(n, noJitter))).toEqual([
      500, 1000, 2000, 4000, 8000, 10_000, 10_000,
    ]);
    expect(retryDelayMs(0, () => 0.999)).toBe(999);
  });
});

describe('auth failures of the socket', () => {
  it('recognises a refused connection by its close code', () => {
    expect(refusedConnection({ code: 4403, reason: 'Forbidden' })).toBe(true);
    expect(refusedConnection({ code: 4401, reason: 'Unauthorized' })).toBe(true);
    expect(refusedConnection({ code: 1006, reason: '' })).toBe(false);
    expect(refusedConnection(undefined)).toBe(false);
  });
});
