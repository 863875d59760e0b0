/** Nano-dollars (1e-9 USD) in one dollar: spend is counted in integer nano-dollars, exact. */
export const NANO_PER_USD = 1_000_000_000n;

const DECIMAL = /^(\d{1,9})(?:\.(\d{1,9}))?$/;

/** `"12.5"` → 12_500_000_000n; undefined unless a plain decimal with at most 9 digits either side. */
export function parseUsd(text: string): bigint | undefined {
  const match = DECIMAL.exec(text.trim());
  if (!match) return undefined;
  return BigInt(match[1]) * NANO_PER_USD + BigInt((match[2] ?? '').padEnd(9, '0'));
}

/** 12_500_000_000n → `"12.5"`: exact, no trailing zeros (negative amounts keep their sign). */
export function formatUsd(nano: bigint): string {
  const sign = nano < 0n ? '-' : '';
  const abs = nano < 0n ? -nano : nano;
  const fraction = (abs % NANO_PER_USD).toString().padStart(9, '0').replace(/0+$/, '');
  return `${sign}${abs / NANO_PER_USD}${fraction ? `.${fraction}` : ''}`;
}
