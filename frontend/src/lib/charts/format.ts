// Number formats of the charts' axes, legends and cards. Pure.

/** What a chart's numbers are. */
export type Unit = 'count' | 'usd' | 'ms' | 'percent';

const compact = new Intl.NumberFormat('en-US', { notation: 'compact', maximumFractionDigits: 1 });
const whole = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });
// `toLocaleString` with options builds a new formatter per call; the legends, tables and axes call these a lot.
const cents = new Intl.NumberFormat('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
const twoDigits = new Intl.NumberFormat('en-US', { maximumSignificantDigits: 2 });

/** `1,234` up to 10k, then `12.3K`, `4.5M`. */
export function formatCount(n: number): string {
  return Math.abs(n) < 10_000 ? whole.format(n) : compact.format(n);
}

/** `$12.34`, `$0.50`, `$0.0123`, `$0.000045`: cents from ten cents up, two significant digits below. */
export function formatUsdAmount(usd: number): string {
  if (usd === 0) return '$0';
  const abs = Math.abs(usd);
  if (abs >= 1_000_000) return `$${compact.format(usd)}`;
  if (abs >= 0.1) return `$${cents.format(usd)}`;
  return `$${twoDigits.format(usd)}`;
}

/** `850 ms`, `1.25 s`, `42 s`, `3.5 min`. */
export function formatDuration(ms: number): string {
  const abs = Math.abs(ms);
  if (abs < 1_000) return `${Math.round(ms)} ms`;
  if (abs < 10_000) return `${(ms / 1_000).toFixed(2)} s`;
  if (abs < 120_000) return `${Math.round(ms / 1_000)} s`;
  return `${(ms / 60_000).toFixed(1)} min`;
}

/** A percentage already multiplied by 100: `0 %`, `0.35 %`, `12.5 %`. */
export function formatPercent(percent: number): string {
  if (percent === 0) return '0 %';
  const digits = Math.abs(percent) < 1 ? 2 : 1;
  return `${Number(percent.toFixed(digits))} %`;
}

/** A value of `unit`; an em dash for none. */
export function formatValue(value: number | null | undefined, unit: Unit): string {
  if (value == null || !Number.isFinite(value)) return '—';
  switch (unit) {
    case 'count':
      return formatCount(value);
    case 'usd':
      return formatUsdAmount(value);
    case 'ms':
      return formatDuration(value);
    case 'percent':
      return formatPercent(value);
  }
}

/** The change from `baseline` to `current`, in percent; null when there was nothing to compare with. */
export function change(current: number, baseline: number): number | null {
  if (baseline === 0) return current === 0 ? 0 : null;
  return ((current - baseline) / Math.abs(baseline)) * 100;
}

/** `+12 %`, `−3.4 %`, `±0 %`, or `new` when the baseline was 0. */
export function formatChange(percent: number | null): string {
  if (percent === null) return 'new';
  if (Math.abs(percent) < 0.05) return '±0 %';
  const digits = Math.abs(percent) < 10 ? 1 : 0;
  return `${percent > 0 ? '+' : '−'}${Math.abs(percent).toFixed(digits)} %`;
}
