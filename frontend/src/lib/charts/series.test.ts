import { describe, expect, it } from 'vitest';
import { align, bucketStarts, latency, METRICS, type Measures } from './series';
import { change, formatChange, formatValue } from './format';

const measures = (over: Partial<Measures> = {}): Measures => ({
  requests: 4,
  errors: 1,
  errorRate: 0.25,
  inputTokens: 100,
  outputTokens: 20,
  cost: '0.001500000',
  unpricedCount: 0,
  estimatedCount: 0,
  latencyMs: { p50: 100, p95: 300, p99: 500 },
  timeToFirstTokenMs: null,
  ...over,
});

describe('series shaping', () => {
  it('lists every bucket of the window from the one holding `from`', () => {
    expect(bucketStarts(90_000, 300_000, 60_000)).toEqual([60_000, 120_000, 180_000, 240_000]);
  });

  it('fills missing buckets with 0 for counts and a gap for rates and percentiles', () => {
    const starts = [0, 60_000, 120_000];
    const series = { key: '', points: [{ bucket: new Date(60_000).toISOString(), values: measures() }] };
    expect(align(starts, series, METRICS.requests)).toEqual([0, 4, 0]);
    expect(align(starts, series, METRICS.errorRate)).toEqual([null, 25, null]);
    expect(align(starts, series, latency('p95'))).toEqual([null, 300, null]);
    expect(align(starts, series, METRICS.tokens)).toEqual([0, 120, 0]);
    expect(align(starts, series, METRICS.cost)).toEqual([0, 0.0015, 0]);
  });

  it("shifts the previous period's points onto the current buckets", () => {
    const series = { key: '', points: [{ bucket: new Date(0).toISOString(), values: measures() }] };
    expect(align([600_000, 660_000], series, METRICS.requests, 600_000)).toEqual([4, 0]);
  });
});

describe('formats', () => {
  it('formats each unit', () => {
    expect(formatValue(12_345, 'count')).toBe('12.3K');
    expect(formatValue(950, 'count')).toBe('950');
    expect(formatValue(12.345, 'usd')).toBe('$12.35');
    expect(formatValue(0.0001234, 'usd')).toBe('$0.00012');
    expect(formatValue(0.5, 'usd')).toBe('$0.50'); // an axis of $0.25 steps reads $0.25, $0.50, $0.75
    expect(formatValue(850, 'ms')).toBe('850 ms');
    expect(formatValue(1_250, 'ms')).toBe('1.25 s');
    expect(formatValue(0.5, 'percent')).toBe('0.5 %');
    expect(formatValue(null, 'ms')).toBe('—');
  });

  it('says how a figure changed against the previous period', () => {
    expect(formatChange(change(120, 100))).toBe('+20 %');
    expect(formatChange(change(97, 100))).toBe('−3.0 %');
    expect(formatChange(change(5, 0))).toBe('new');
    expect(formatChange(change(0, 0))).toBe('±0 %');
  });
});
