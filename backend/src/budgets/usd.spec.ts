import { formatUsd, parseUsd } from './usd';

describe('USD amounts', () => {
  it.each([
    ['12.5', 12_500_000_000n],
    ['0.000000001', 1n],
    ['7', 7_000_000_000n],
    [' 0.10 ', 100_000_000n],
  ])('parses %p exactly', (text, nano) => {
    expect(parseUsd(text)).toBe(nano);
  });

  it.each(['', '-1', '1e3', '1.0000000001', '1,5', '.5', '1234567890'])('refuses %p', (text) => {
    expect(parseUsd(text)).toBeUndefined();
  });

  it('formats without trailing zeros, and back', () => {
    expect(formatUsd(12_500_000_000n)).toBe('12.5');
    expect(formatUsd(1n)).toBe('0.000000001');
    expect(formatUsd(0n)).toBe('0');
    expect(formatUsd(-1_250_000_000n)).toBe('-1.25');
    expect(parseUsd(formatUsd(123_456_789_012n))).toBe(123_456_789_012n);
  });
});
