// Display helpers of the traces table.

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

// One formatter each: `toLocaleString` with a locale builds a new one per call, which shows in a
// live tail rendering rows many times a second.
const WHOLE = new Intl.NumberFormat('en-US');
const ONE_DECIMAL = new Intl.NumberFormat('en-US', { minimumFractionDigits: 1, maximumFractionDigits: 1 });

/** `HH:MM:SS.mmm` in local time; the raw text when it is not a date. */
export function formatClock(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return `${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}.${pad(date.getMilliseconds(), 3)}`;
}

/** Whole milliseconds with thousands separators; an em dash for unknown. */
export function formatMs(ms: number | null | undefined): string {
  if (ms == null || !Number.isFinite(ms)) return '—';
  return WHOLE.format(Math.round(ms));
}

export function formatCount(n: number | null | undefined): string {
  if (n == null || !Number.isFinite(n)) return '—';
  return WHOLE.format(n);
}

/** One line of at most `max` characters (whitespace collapsed, an ellipsis when cut). */
export function preview(text: string | null | undefined, max = 80): string {
  if (!text) return '';
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length <= max ? line : `${line.slice(0, Math.max(0, max - 1)).trimEnd()}…`;
}

/** `2025-01-02 03:04:05` in local time; `fallback` for a missing value, the text itself for a bad one. */
export function formatDateTime(iso: string | null | undefined, fallback = '—'): string {
  if (!iso) return fallback;
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return (
    `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())} ` +
    `${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}`
  );
}

/**
 * The end of `text` in one line of at most `max` characters, from a word's start where one is near
 * (an ellipsis before when cut): a growing output.
 */
export function tail(text: string | null | undefined, max = 80): string {
  if (!text) return '';
  const line = text.replace(/\s+/g, ' ').trimStart();
  if (line.length <= max) return line;
  const end = line.slice(line.length - (max - 1));
  const space = end.indexOf(' ');
  return `…${space >= 0 && space < 20 ? end.slice(space + 1) : end}`;
}

/** Tokens per second with one decimal; an em dash for unknown. */
export function formatRate(perSecond: number | null | undefined): string {
  if (perSecond == null || !Number.isFinite(perSecond)) return '—';
  return ONE_DECIMAL.format(perSecond);
}

/**
 * An exact decimal USD string (`"0.008755000"`) as `$0.008755`: to the micro-dollar, never through a
 * float; a cost below a micro-dollar shows as `<$0.000001`; an em dash for none.
 */
export function formatUsd(usd: string | null | undefined): string {
  if (!usd) return '—';
  const negative = usd.startsWith('-');
  const [whole, fraction = ''] = usd.replace(/^[-+]/, '').split('.');
  if (!/^\d*$/.test(whole) || !/^\d*$/.test(fraction)) return usd;
  // Rounded half up to the micro-dollar, exactly (BigInt), so that parts shown add up to the total shown.
  const digits = fraction.padEnd(7, '0');
  const micro = BigInt(whole || '0') * 1_000_000n + BigInt(digits.slice(0, 6)) + (digits[6] >= '5' ? 1n : 0n);
  if (micro === 0n && /[1-9]/.test(fraction)) return negative ? '>-$0.000001' : '<$0.000001';
  const sign = negative && micro > 0n ? '-' : '';
  return `${sign}$${WHOLE.format(micro / 1_000_000n)}.${String(micro % 1_000_000n).padStart(6, '0')}`;
}

/** How to read a sum of generation costs (and of their tokens). */
export interface SumMarks {
  /** Nothing in it had a price: a zero that is unknown, not free. */
  readonly unpriced: boolean;
  /** Some generations had no price and are left out. */
  readonly partial: boolean;
  /** Some generations' token counts (so costs) are Sightline's estimates: shown with ≈. */
  readonly estimated: boolean;
}

/** The marks of a sum of `usd` (exact decimal text) that left out `unpricedCount` generations. */
export function sumMarks(usd: string, unpricedCount: number, estimatedCount = 0): SumMarks {
  const unpriced = unpricedCount > 0 && !/[1-9]/.test(usd);
  return { unpriced, partial: unpricedCount > 0 && !unpriced, estimated: estimatedCount > 0 && !unpriced };
}

/** The marks of a token sum: ≈ when `estimatedCount` generations' counts are Sightline's estimates. */
export function tokenMarks(estimatedCount: number): SumMarks {
  return { unpriced: false, partial: false, estimated: estimatedCount > 0 };
}

/** A tooltip saying what a sum leaves out or estimates; '' when nothing. */
export function sumNote(unpricedCount: number, estimatedCount = 0): string {
  const n = (count: number) => `${count} generation${count === 1 ? '' : 's'}`;
  return [
    unpricedCount > 0 ? `${n(unpricedCount)} without a price, left out of the cost` : '',
    estimatedCount > 0
      ? `${n(estimatedCount)} on token counts Sightline estimated (the provider reported none)`
      : '',
  ]
    .filter(Boolean)
    .join('; ');
}

/**
 * A sum of generation costs: `formatUsd` (≈ when it rests on estimated token counts), or "unpriced"
 * when nothing in it had a price. `partial` says some generations are left out.
 */
export function formatCostSum(
  usd: string,
  unpricedCount: number,
  estimatedCount = 0,
): { readonly text: string; readonly partial: boolean } {
  const marks = sumMarks(usd, unpricedCount, estimatedCount);
  if (marks.unpriced) return { text: 'unpriced', partial: false };
  return { text: `${marks.estimated ? '≈' : ''}${formatUsd(usd)}`, partial: marks.partial };
}

/** A generation's status as the tables say it. */
export const GENERATION_STATUS_LABEL = {
  COMPLETED: 'ok',
  FAILED: 'failed',
  CANCELLED: 'cancelled',
  INTERRUPTED: 'interrupted',
  IN_FLIGHT: 'streaming',
} as const;
