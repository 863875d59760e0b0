import { Inject, Injectable } from '@nestjs/common';
import { ClickHouse } from '../clickhouse/clickhouse';
import { chTimeToIso } from '../clickhouse/time';
import { InvalidInputError } from '../common/errors';
import { plan, type GroupBy, type ServedFrom, type TimeBucket } from './analytics-plan';
import { aggregateSql, type AggregateSql, type Metric } from './analytics-sql';
import type { Filter } from './filter';
import { compileFilter } from './filter-sql';

export interface Quantiles {
  readonly p50: number;
  readonly p90: number;
  readonly p95: number;
  readonly p99: number;
}

/** What a set of generations measured. Costs are exact 9-decimal USD strings; latencies in ms. */
export interface Measures {
  readonly requests: number;
  readonly errors: number;
  /** errors / requests; 0 without requests. */
  readonly errorRate: number;
  readonly inputTokens: number;
  readonly outputTokens: number;
  readonly cachedTokens: number;
  readonly reasoningTokens: number;
  /** Leaves out the generations counted in `unpricedCount`. */
  readonly cost: string;
  /** Generations flagged `unpriced` (no price in force). */
  readonly unpricedCount: number;
  /** Generations flagged `estimated_usage` (Sightline counted their tokens). */
  readonly estimatedCount: number;
  readonly latencyMs: Quantiles | null;
  /** Null when none was streamed. */
  readonly timeToFirstTokenMs: Quantiles | null;
  /** Mean output tokens per second of the generations that have a rate; null when none has. */
  readonly outputTokensPerSecond: number | null;
}

export interface Series {
  /** The group key; '' when not grouped (and for generations without a value of the key). */
  readonly key: string;
  /** Buckets with generations, oldest first; ISO-8601 starts. */
  readonly points: readonly { readonly bucket: string; readonly values: Measures }[];
}

export interface Group {
  readonly key: string;
  readonly values: Measures;
}

export interface Comparison {
  readonly key: string;
  readonly current: Measures;
  readonly baseline: Measures;
}

export interface Served<T> {
  readonly servedFrom: ServedFrom;
  readonly result: T;
}

/** Options of internal callers: `raw` skips the rollups (the test comparing both; benchmarks). */
export interface AnalyticsOptions {
  readonly raw?: boolean;
}

/** A row of `aggregateSql`. */
interface Row {
  k: string;
  b: string;
  n_requests: string | number;
  n_errors: string | number;
  n_input: string | number;
  n_output: string | number;
  n_cached: string | number;
  n_reasoning: string | number;
  cost_text: string;
  n_unpriced: string | number;
  n_estimated: string | number;
  q_latency: number[] | null;
  q_ttft: number[] | null;
  r_tps: number | null;
}

export const MAX_GROUPS = 100;

const quantiles = (q: number[] | null): Quantiles | null =>
  q && q.length === 4 && q.every(Number.isFinite) ? { p50: q[0], p90: q[1], p95: q[2], p99: q[3] } : null;

/** Exact: ClickHouse prints decimals without trailing zeros. */
function usd9(value: string): string {
  const [whole, fraction = ''] = value.split('.');
  return `${whole}.${fraction.padEnd(9, '0').slice(0, 9)}`;
}

function measures(row: Row): Measures {
  const requests = Number(row.n_requests);
  const errors = Number(row.n_errors);
  return {
    requests,
    errors,
    errorRate: requests ? errors / requests : 0,
    inputTokens: Number(row.n_input),
    outputTokens: Number(row.n_output),
    cachedTokens: Number(row.n_cached),
    reasoningTokens: Number(row.n_reasoning),
    cost: usd9(row.cost_text),
    unpricedCount: Number(row.n_unpriced),
    estimatedCount: Number(row.n_estimated),
    latencyMs: quantiles(row.q_latency),
    timeToFirstTokenMs: quantiles(row.q_ttft),
    outputTokensPerSecond: row.r_tps !== null && Number.isFinite(row.r_tps) ? row.r_tps : null,
  };
}

const EMPTY: Measures = measures({
  k: '',
  b: '',
  n_requests: 0,
  n_errors: 0,
  n_input: 0,
  n_output: 0,
  n_cached: 0,
  n_reasoning: 0,
  cost_text: '0',
  n_unpriced: 0,
  n_estimated: 0,
  q_latency: null,
  q_ttft: null,
  r_tps: null,
});

function checkLimit(first: number): void {
  if (!Number.isInteger(first) || first < 1 || first > MAX_GROUPS)
    throw new InvalidInputError(`first must be between 1 and ${MAX_GROUPS}`, 'invalid_argument', 'first');
}

/**
 * Time series, top groups and window comparisons of a project's generations, answered from the
 * rollups when the filter, grouping and window allow it (see `analytics-plan`), else from raw rows;
 * the same answer either way.
 */
@Injectable()
export class GenerationAnalytics {
  constructor(@Inject(ClickHouse) private readonly ch: ClickHouse) {}

  /**
   * Measures per `bucket` over the filter's window, one series per group (the `first` groups with the
   * most requests) or one series when not grouped.
   * @throws InvalidInputError `invalid_filter`, `range_too_long`, `too_many_buckets`, `invalid_group_by`, `invalid_argument`
   */
  async series(
    projectId: string,
    filter: Filter,
    bucket: TimeBucket,
    groupBy: GroupBy | null,
    first = 10,
    options: AnalyticsOptions = {},
  ): Promise<Served<Series[]>> {
    checkLimit(first);
    const { servedFrom } = plan(filter, groupBy, bucket, options.raw);
    // The groups `top` ranks first by requests, read without their other measures.
    const keys = groupBy
      ? (
          await this.run(
            projectId,
            filter,
            { servedFrom, groupBy, rank: { metric: 'REQUESTS', direction: 'DESC' }, requestsOnly: true },
            { g_limit: first },
          )
        ).map((row) => row.k)
      : null;
    const rows = await this.run(
      projectId,
      filter,
      { servedFrom, groupBy, bucket, onlyKeys: keys !== null },
      { g_keys: keys },
    );
    const byKey = new Map<string, Series['points'][number][]>((keys ?? ['']).map((k) => [k, []]));
    for (const row of rows) byKey.get(row.k)?.push({ bucket: chTimeToIso(row.b), values: measures(row) });
    return { servedFrom, result: [...byKey].map(([key, points]) => ({ key, points })) };
  }

  /**
   * The `first` groups ranked by `metric` (costliest users, slowest models...) over the filter's window.
   * @throws InvalidInputError as `series`
   */
  async top(
    projectId: string,
    filter: Filter,
    groupBy: GroupBy,
    metric: Metric,
    direction: 'ASC' | 'DESC',
    first = 10,
    options: AnalyticsOptions = {},
  ): Promise<Served<Group[]>> {
    checkLimit(first);
    const { servedFrom } = plan(filter, groupBy, null, options.raw);
    const rows = await this.run(
      projectId,
      filter,
      { servedFrom, groupBy, rank: { metric, direction } },
      { g_limit: first },
    );
    return { servedFrom, result: rows.map((row) => ({ key: row.k, values: measures(row) })) };
  }

  /**
   * The filter's window beside a baseline window (same filter otherwise), per group or in total: the
   * `first` groups with the most requests in the current window.
   * @throws InvalidInputError as `series`, for either window
   */
  async compare(
    projectId: string,
    filter: Filter,
    baseline: { from: string; to: string },
    groupBy: GroupBy | null,
    first = 10,
    options: AnalyticsOptions = {},
  ): Promise<Comparison[]> {
    checkLimit(first);
    const before = { ...filter, ...baseline };
    const [current, previous] = [
      await this.totals(projectId, filter, groupBy, first, options),
      await this.totals(projectId, before, groupBy, MAX_GROUPS, options),
    ];
    const old = new Map(previous.map((g) => [g.key, g.values]));
    return current.map((g) => ({ key: g.key, current: g.values, baseline: old.get(g.key) ?? EMPTY }));
  }

  private async totals(
    projectId: string,
    filter: Filter,
    groupBy: GroupBy | null,
    first: number,
    options: AnalyticsOptions,
  ) {
    if (groupBy)
      return (await this.top(projectId, filter, groupBy, 'REQUESTS', 'DESC', first, options)).result;
    const { servedFrom } = plan(filter, null, null, options.raw);
    const [row] = await this.run(projectId, filter, { servedFrom }, {});
    return [{ key: '', values: row ? measures(row) : EMPTY }];
  }

  private async run(
    projectId: string,
    filter: Filter,
    q: Omit<AggregateSql, 'where'>,
    extra: Record<string, unknown>,
  ): Promise<Row[]> {
    const { where, params } = compileFilter(
      projectId,
      filter,
      q.servedFrom === 'RAW' ? 'generations' : 'rollup',
    );
    const group = q.groupBy?.dimension === 'METADATA' ? { g_key: q.groupBy.metadataKey } : {};
    return this.ch.query<Row>(aggregateSql({ ...q, where }), { ...params, ...group, ...extra });
  }
}
