import { describe, expect, it } from 'vitest';
import { retryDelayMs } from './graphqlSource';

describe('retryDelayMs', () => {
  it('backs off exponentially from 0.5 s up to 10 s, plus jitter under 0.5 s', () => {
    const noJitter = () => 0;
    expect([0, 1, 2, 3, 4, 5, 10].map((n) => retryDelayMs(n, noJitter))).toEqual([
      500, 1000, 2000, 4000, 8000, 10_000, 10_000,
    ]);
    expect(retryDelayMs(0, () => 0.999)).toBe(999);
  });
});
