import { describe, expect, it } from 'vitest';
import {
  formatClock,
  formatCostSum,
  formatCount,
  formatDateTime,
  formatMs,
  formatRate,
  formatUsd,
  sumNote,
  preview,
  tail,
} from './format';

describe('format', () => {
  it('formats exact USD text rounded half up to the micro-dollar, not cut', () => {
    expect(formatUsd('0.000000500')).toBe('$0.000001');
    expect(formatUsd('0.000001499')).toBe('$0.000001');
    expect(formatUsd('0.000001500')).toBe('$0.000002');
    expect(formatUsd('1234.9999995')).toBe('$1,235.000000');
    expect(formatUsd('0.000000400')).toBe('<$0.000001');
    expect(formatUsd('0')).toBe('$0.000000');
    expect(formatUsd('12345678901234.5')).toBe('$12,345,678,901,234.500000');
    expect(formatUsd(null)).toBe('—');
  });

  it('formats a clock time with milliseconds in local time', () => {
    const date = new Date(2025, 0, 2, 3, 4, 5, 67);
    expect(formatClock(date.toISOString())).toBe('03:04:05.067');
    expect(formatClock('not a date')).toBe('not a date');
  });

  it('formats milliseconds and counts, with a dash for unknown', () => {
    expect(formatMs(1234.4)).toBe('1,234');
    expect(formatMs(null)).toBe('—');
    expect(formatMs(undefined)).toBe('—');
    expect(formatCount(0)).toBe('0');
    expect(formatCount(12345)).toBe('12,345');
    expect(formatCount(Number.NaN)).toBe('—');
  });

  it('previews output as one short line', () => {
    expect(preview('hello\n\n  world ')).toBe('hello world');
    expect(preview(null)).toBe('');
    expect(preview('abcdefghij', 5)).toBe('abcd…');
    expect(preview('abcde', 5)).toBe('abcde');
  });
});

describe('formatDateTime', () => {
  it('formats local date and time, with a fallback for nothing', () => {
    const date = new Date(2025, 0, 2, 3, 4, 5);
    expect(formatDateTime(date.toISOString())).toBe('2025-01-02 03:04:05');
    expect(formatDateTime(null)).toBe('—');
    expect(formatDateTime(undefined, 'never')).toBe('never');
    expect(formatDateTime('soon')).toBe('soon');
  });
});

describe('tail', () => {
  it('keeps the end of a growing output on one line, with an ellipsis before when cut', () => {
    expect(tail('Once upon\na time', 80)).toBe('Once upon a time');
    expect(tail('abcdefghij', 5)).toBe('…ghij');
    expect(tail('one two three four', 12)).toBe('…three four');
    expect(tail(null)).toBe('');
  });
});

describe('formatRate', () => {
  it('shows tokens per second with one decimal, a dash when unknown', () => {
    expect(formatRate(61.234)).toBe('61.2');
    expect(formatRate(1234)).toBe('1,234.0');
    expect(formatRate(null)).toBe('—');
  });
});

describe('formatCostSum', () => {
  it('says unpriced when nothing had a price, and marks a partial sum', () => {
    expect(formatCostSum('0.000000000', 2)).toEqual({ text: 'unpriced', partial: false });
    expect(formatCostSum('0.000000000', 0)).toEqual({ text: '$0.000000', partial: false });
    expect(formatCostSum('0.001200000', 1)).toEqual({ text: '$0.001200', partial: true });
  });

  it('marks a sum resting on estimated token counts with ≈, but not one that is all unpriced', () => {
    expect(formatCostSum('0.001200000', 0, 2)).toEqual({ text: '≈$0.001200', partial: false });
    expect(formatCostSum('0.001200000', 1, 1)).toEqual({ text: '≈$0.001200', partial: true });
    expect(formatCostSum('0.000000000', 1, 1)).toEqual({ text: 'unpriced', partial: false });
    expect(sumNote(0, 0)).toBe('');
    expect(sumNote(1, 2)).toBe(
      '1 generation without a price, left out of the cost; 2 generations on token counts Sightline estimated (the provider reported none)',
    );
  });
});
