import { nanoUsd } from './replay-outcome';

describe('replay outcome', () => {
  it('reads a recorded USD amount as exact nano-dollars', () => {
    expect(nanoUsd('0.000001234')).toBe(1234n);
    expect(nanoUsd('12.500000000')).toBe(12_500_000_000n);
    expect(nanoUsd('99999999.999999999')).toBe(99_999_999_999_999_999n);
  });
});
