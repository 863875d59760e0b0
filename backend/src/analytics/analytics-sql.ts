import type { Dimension, GroupBy, ServedFrom, TimeBucket } from './analytics-plan';

export type Metric =
  | 'REQUESTS'
  | 'ERRORS'
  | 'ERROR_RATE'
  | 'COST'
  | 'INPUT_TOKENS'
  | 'OUTPUT_TOKENS'
  | 'LATENCY_P50'
  | 'LATENCY_P95'
  | 'LATENCY_P99'
  | 'TIME_TO_FIRST_TOKEN_P95'
  | 'OUTPUT_TOKENS_PER_SECOND';

/**
 * DDSketches at 1 % relative accuracy (migration 0032): a sketch holds counts per logarithmic bin, and
 * merging adds counts, so the rollups' merged sketches give exactly what one sketch over the raw rows gives.
 */
const QUANTILES = 'quantilesDD(0.01, 0.5, 0.9, 0.95, 0.99)';
const QUANTILES_MERGE = 'quantilesDDMerge(0.01, 0.5, 0.9, 0.95, 0.99)';

/** The same measures from either source, under the same aliases; token rates average the generations that have one. */
const MEASURES: Readonly<Record<'raw' | 'rollup', string>> = {
  raw: `count() AS n_requests, countIf(status = 'failed') AS n_errors,
    sum(toUInt64(input_tokens)) AS n_input, sum(toUInt64(output_tokens)) AS n_output,
    sum(toUInt64(cached_tokens)) AS n_cached, sum(toUInt64(reasoning_tokens)) AS n_reasoning,
    sum(toDecimal128(ifNull(cost_usd, 0), 10)) AS cost_sum,
    countIf(has(cost_flags, 'unpriced')) AS n_unpriced, countIf(has(cost_flags, 'estimated_usage')) AS n_estimated,
    ${QUANTILES}(latency_ms) AS q_latency,
    ${QUANTILES}(ttft_ms) AS q_ttft,
    sum(toFloat64(ifNull(output_tokens_per_second, 0))) / count(output_tokens_per_second) AS r_tps`,
  rollup: `sum(requests) AS n_requests, sumIf(requests, status = 'failed') AS n_errors,
    sum(input_tokens) AS n_input, sum(output_tokens) AS n_output,
    sum(cached_tokens) AS n_cached, sum(reasoning_tokens) AS n_reasoning,
    sum(cost) AS cost_sum, sum(unpriced) AS n_unpriced, sum(estimated) AS n_estimated,
    ${QUANTILES_MERGE}(latency_sketch) AS q_latency,
    ${QUANTILES_MERGE}(ttft_sketch) AS q_ttft,
    sum(tps_sum) / sum(tps_count) AS r_tps`,
};

const TABLE: Readonly<Record<ServedFrom, string>> = {
  RAW: 'generations',
  ROLLUP_MINUTE: 'generation_rollup_minute',
  ROLLUP_HOUR: 'generation_rollup_hour',
};

/** Group keys: fixed SQL; a metadata key travels as the `{g_key:String}` parameter. */
const KEYS: Readonly<Record<Dimension, { readonly key: string; readonly join?: string }>> = {
  MODEL: { key: "if(served_model = '', toString(model), toString(served_model))" },
  PROVIDER: { key: 'toString(provider)' },
  SOURCE: { key: 'toString(source)' },
  USER: { key: 'user_id' },
  API_KEY: { key: 'api_key_id' },
  TAG: { key: 'tag', join: 'ARRAY JOIN tags AS tag' },
  METADATA: { key: 'metadata[{g_key:String}]' },
};

/** The start of a bucket, from the rows' time column (`started_at` raw, `bucket` in rollups). */
function bucketOf(bucket: TimeBucket, column: string): string {
  switch (bucket) {
    case 'MINUTE':
      return `toStartOfMinute(${column})`;
    case 'FIVE_MINUTES':
      return `toStartOfFiveMinutes(${column})`;
    case 'FIFTEEN_MINUTES':
      return `toStartOfFifteenMinutes(${column})`;
    case 'HOUR':
      return `toStartOfHour(${column})`;
    case 'DAY':
      return `toStartOfDay(${column})`;
    case 'WEEK':
      return `toDateTime(toMonday(${column}), 'UTC')`;
    case 'MONTH':
      return `toDateTime(toStartOfMonth(${column}), 'UTC')`;
  }
}

/** How a metric ranks groups, over the measures' aliases. */
export const RANK: Readonly<Record<Metric, string>> = {
  REQUESTS: 'n_requests',
  ERRORS: 'n_errors',
  ERROR_RATE: 'n_errors / n_requests',
  COST: 'cost_sum',
  INPUT_TOKENS: 'n_input',
  OUTPUT_TOKENS: 'n_output',
  LATENCY_P50: 'q_latency[1]',
  LATENCY_P95: 'q_latency[3]',
  LATENCY_P99: 'q_latency[4]',
  TIME_TO_FIRST_TOKEN_P95: 'ifNull(q_ttft[3], 0)',
  OUTPUT_TOKENS_PER_SECOND: 'ifNull(r_tps, 0)',
};

export interface AggregateSql {
  readonly servedFrom: ServedFrom;
  readonly where: string;
  readonly groupBy?: GroupBy | null;
  readonly bucket?: TimeBucket | null;
  /** Only these group keys (`{g_keys:Array(String)}`). */
  readonly onlyKeys?: boolean;
  /** Rank groups by this metric and keep `{g_limit:UInt32}` of them. */
  readonly rank?: { readonly metric: Metric; readonly direction: 'ASC' | 'DESC' };
  /** Only `k`, `b` and `n_requests`: a series' top keys need no quantile merge. */
  readonly requestsOnly?: boolean;
}

/** One SELECT of measures over a source, optionally per bucket and per group key. */
export function aggregateSql(q: AggregateSql): string {
  const raw = q.servedFrom === 'RAW';
  const group = q.groupBy ? KEYS[q.groupBy.dimension] : { key: "''" };
  const bucket = q.bucket ? bucketOf(q.bucket, raw ? 'started_at' : 'bucket') : 'toDateTime(0)';
  const order = q.rank ? `${RANK[q.rank.metric]} ${q.rank.direction}, k` : 'k, b';
  const measures = q.requestsOnly
    ? `${raw ? 'count()' : 'sum(requests)'} AS n_requests`
    : `${MEASURES[raw ? 'raw' : 'rollup']}, toString(cost_sum) AS cost_text`;
  return `
    SELECT ${group.key} AS k, toString(${bucket}) AS b, ${measures}
    FROM ${TABLE[q.servedFrom]} ${group.join ?? ''}
    WHERE ${q.where}${q.onlyKeys ? ' AND k IN {g_keys:Array(String)}' : ''}
    GROUP BY k, b
    ORDER BY ${order}${q.rank ? ' LIMIT {g_limit:UInt32}' : ''}`;
}
