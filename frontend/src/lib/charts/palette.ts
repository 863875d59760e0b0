// Series colors, one pair per theme (CSS `light-dark()`, resolved by the browser like the app's own
// variables): distinct hues, each readable on the light and the dark surface.
export const PALETTE = [
  'light-dark(#2563eb, #60a5fa)',
  'light-dark(#059669, #34d399)',
  'light-dark(#d97706, #fbbf24)',
  'light-dark(#7c3aed, #a78bfa)',
  'light-dark(#e11d48, #fb7185)',
  'light-dark(#0891b2, #22d3ee)',
  'light-dark(#65a30d, #a3e635)',
  'light-dark(#c026d3, #e879f9)',
] as const;

/** The previous period's dashed line. */
export const PREVIOUS = 'var(--muted)';

/** The color of the `index`-th series. */
export function seriesColor(index: number): string {
  return PALETTE[index % PALETTE.length]!;
}
