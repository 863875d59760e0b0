export type Cell = string | number;

/** `1234567.8` → `1,234,568`. */
export function int(value: number): string {
  return Number.isFinite(value) ? Math.round(value).toLocaleString('en-US') : 'n/a';
}

/** Milliseconds with 2 decimals. */
export function ms(value: number): string {
  return Number.isFinite(value) ? value.toFixed(2) : 'n/a';
}

/** A difference in ms with its sign: `+0.84`. */
export function deltaMs(value: number): string {
  return Number.isFinite(value) ? `${value >= 0 ? '+' : ''}${value.toFixed(2)}` : 'n/a';
}

/** A ratio: `1.23×`. */
export function ratio(value: number): string {
  return Number.isFinite(value) ? `${value.toFixed(2)}×` : 'n/a';
}

/**
 * Aligned plain-text table: the first column left-aligned, the others right-aligned (numbers),
 * a rule under the header. Numbers are printed as given: format them first.
 */
export function formatTable(headers: readonly string[], rows: readonly (readonly Cell[])[]): string {
  const text = [headers, ...rows].map((row) => row.map(String));
  const widths = headers.map((_, c) => Math.max(...text.map((row) => (row[c] ?? '').length)));
  const line = (row: readonly string[]): string =>
    row
      .map((cell, c) => (c === 0 ? cell.padEnd(widths[c]) : cell.padStart(widths[c])))
      .join('  ')
      .trimEnd();
  return [line(text[0]), widths.map((w) => '-'.repeat(w)).join('  '), ...text.slice(1).map(line)].join('\n');
}

export function printTable(
  title: string,
  headers: readonly string[],
  rows: readonly (readonly Cell[])[],
): void {
  console.log(`\n${title}\n${formatTable(headers, rows)}`);
}

export function heading(text: string): void {
  console.log(`\n${'='.repeat(text.length + 8)}\n=== ${text} ===\n${'='.repeat(text.length + 8)}`);
}
