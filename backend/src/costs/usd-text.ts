/** A ClickHouse Decimal printed as text (any number of decimals) as a 9-decimal USD string; exact. */
export function decimalUsd(value: string): string {
  const [whole, fraction = ''] = value.split('.');
  return `${whole}.${fraction.padEnd(9, '0').slice(0, 9)}`;
}
