// Shapes analytics answers (buckets with generations only, oldest first) into the aligned columns a
// chart draws: one x value per bucket of the window, gaps filled — counts with 0, rates and
// percentiles with null (no requests, nothing measured). Pure.

/** A bucket's measures as the dashboard query selects them (a structural subset of AnalyticsMeasures). */
export interface Measures {
  readonly requests: number;
  readonly errors: number;
  readonly errorRate: number;
  readonly inputTokens: number;
  readonly outputTokens: number;
  /** USD, exact decimal string. */
  readonly cost: string;
  /** Generations without a price (left out of `cost`) and on estimated token counts. */
  readonly unpricedCount: number;
  readonly estimatedCount: number;
  readonly latencyMs?: Quantiles | null;
  readonly timeToFirstTokenMs?: Quantiles | null;
}

export interface Quantiles {
  readonly p50: number;
  readonly p95: number;
  readonly p99: number;
}

export interface SeriesInput {
  readonly key: string;
  readonly points: readonly { readonly bucket: string; readonly values: Measures }[];
}

/** What a chart plots of a bucket: a number, or null when the bucket measured nothing of it. */
export type Pick = (measures: Measures) => number | null;

export interface Metric {
  readonly pick: Pick;
  /** A bucket without generations: 0 for counts, null (a gap) for rates and percentiles. */
  readonly empty: 0 | null;
}

type Percentile = keyof Quantiles;

export const METRICS = {
  requests: { pick: (m) => m.requests, empty: 0 },
  errors: { pick: (m) => m.errors, empty: 0 },
  errorRate: { pick: (m) => (m.requests > 0 ? m.errorRate * 100 : null), empty: null },
  inputTokens: { pick: (m) => m.inputTokens, empty: 0 },
  outputTokens: { pick: (m) => m.outputTokens, empty: 0 },
  tokens: { pick: (m) => m.inputTokens + m.outputTokens, empty: 0 },
  cost: { pick: (m) => Number(m.cost), empty: 0 },
} as const satisfies Record<string, Metric>;

export function latency(percentile: Percentile): Metric {
  return { pick: (m) => m.latencyMs?.[percentile] ?? null, empty: null };
}

export function timeToFirstToken(percentile: Percentile): Metric {
  return { pick: (m) => m.timeToFirstTokenMs?.[percentile] ?? null, empty: null };
}

/**
 * The start (ms) of every bucket of [from, to), `width` ms wide, from the bucket holding `from`
 * (buckets start at multiples of their width since the epoch, as the API's do up to days).
 */
export function bucketStarts(from: number, to: number, width: number): number[] {
  const starts: number[] = [];
  for (let t = Math.floor(from / width) * width; t < to; t += width) starts.push(t);
  return starts;
}

/**
 * The values of `series` at each of `starts` (ms). `shift` (ms) is added to the points' times first:
 * the previous period's points, shifted by the window's length, line up with the current ones.
 */
export function align(
  starts: readonly number[],
  series: SeriesInput | undefined,
  metric: Metric,
  shift = 0,
): (number | null)[] {
  const byTime = new Map<number, Measures>();
  for (const point of series?.points ?? []) byTime.set(Date.parse(point.bucket) + shift, point.values);
  return starts.map((t) => {
    const measures = byTime.get(t);
    return measures ? metric.pick(measures) : metric.empty;
  });
}

/** Milliseconds → seconds, uPlot's unit of time on the x axis. */
export function toSeconds(starts: readonly number[]): number[] {
  return starts.map((t) => t / 1000);
}
