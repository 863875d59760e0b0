-- Rollups of generations for dashboards: per project × minute (and × hour) × model asked, model
-- served, provider, source and status, with counts, token and cost sums, and deterministic quantile
-- states of latency and time to first token (sampled by span id, so merging states in any order gives
-- the answer a query over the raw rows gives). Fed by materialized views on every insert into
-- `generations`; the rows already there are added once here.
CREATE TABLE IF NOT EXISTS generation_rollup_minute (
    project_id String,
    bucket DateTime('UTC'),
    model LowCardinality(String),
    served_model LowCardinality(String),
    provider LowCardinality(String),
    source LowCardinality(String),
    status LowCardinality(String),
    requests SimpleAggregateFunction(sum, UInt64),
    input_tokens SimpleAggregateFunction(sum, UInt64),
    output_tokens SimpleAggregateFunction(sum, UInt64),
    cached_tokens SimpleAggregateFunction(sum, UInt64),
    reasoning_tokens SimpleAggregateFunction(sum, UInt64),
    cost SimpleAggregateFunction(sum, Decimal(38, 10)),
    tps_sum SimpleAggregateFunction(sum, Float64),
    tps_count SimpleAggregateFunction(sum, UInt64),
    latency AggregateFunction(quantilesDeterministic(0.5, 0.9, 0.95, 0.99), UInt32, UInt64),
    ttft AggregateFunction(quantilesDeterministic(0.5, 0.9, 0.95, 0.99), Nullable(UInt32), UInt64)
) ENGINE = AggregatingMergeTree
PARTITION BY toYYYYMM(bucket)
ORDER BY (project_id, bucket, model, served_model, provider, source, status)
-- A projector batch retried under its token must not be counted twice here either (the client sets
-- deduplicate_blocks_in_dependent_materialized_views on its inserts).
SETTINGS non_replicated_deduplication_window = 10000;

CREATE TABLE IF NOT EXISTS generation_rollup_hour AS generation_rollup_minute;

CREATE MATERIALIZED VIEW IF NOT EXISTS generation_rollup_minute_mv TO generation_rollup_minute AS
SELECT project_id, toStartOfMinute(started_at) AS bucket, model, served_model, provider, source,
       toString(status) AS status,
       count() AS requests,
       sum(toUInt64(input_tokens)) AS input_tokens,
       sum(toUInt64(output_tokens)) AS output_tokens,
       sum(toUInt64(cached_tokens)) AS cached_tokens,
       sum(toUInt64(reasoning_tokens)) AS reasoning_tokens,
       sum(toDecimal128(ifNull(cost_usd, 0), 10)) AS cost,
       sum(toFloat64(ifNull(output_tokens_per_second, 0))) AS tps_sum,
       count(output_tokens_per_second) AS tps_count,
       quantilesDeterministicState(0.5, 0.9, 0.95, 0.99)(latency_ms, cityHash64(span_id)) AS latency,
       quantilesDeterministicState(0.5, 0.9, 0.95, 0.99)(ttft_ms, cityHash64(span_id)) AS ttft
FROM generations
GROUP BY project_id, bucket, model, served_model, provider, source, status;

-- Hours from minutes: every insert into the minute table (the view above, the backfill below) feeds it.
CREATE MATERIALIZED VIEW IF NOT EXISTS generation_rollup_hour_mv TO generation_rollup_hour AS
SELECT project_id, toStartOfHour(bucket) AS bucket, model, served_model, provider, source, status,
       sum(requests) AS requests,
       sum(input_tokens) AS input_tokens,
       sum(output_tokens) AS output_tokens,
       sum(cached_tokens) AS cached_tokens,
       sum(reasoning_tokens) AS reasoning_tokens,
       sum(cost) AS cost,
       sum(tps_sum) AS tps_sum,
       sum(tps_count) AS tps_count,
       quantilesDeterministicMergeState(0.5, 0.9, 0.95, 0.99)(latency) AS latency,
       quantilesDeterministicMergeState(0.5, 0.9, 0.95, 0.99)(ttft) AS ttft
FROM generation_rollup_minute
GROUP BY project_id, bucket, model, served_model, provider, source, status;

-- Generations recorded before this migration.
INSERT INTO generation_rollup_minute
SELECT project_id, toStartOfMinute(started_at) AS bucket, model, served_model, provider, source,
       toString(status) AS status,
       count() AS requests,
       sum(toUInt64(input_tokens)) AS input_tokens,
       sum(toUInt64(output_tokens)) AS output_tokens,
       sum(toUInt64(cached_tokens)) AS cached_tokens,
       sum(toUInt64(reasoning_tokens)) AS reasoning_tokens,
       sum(toDecimal128(ifNull(cost_usd, 0), 10)) AS cost,
       sum(toFloat64(ifNull(output_tokens_per_second, 0))) AS tps_sum,
       count(output_tokens_per_second) AS tps_count,
       quantilesDeterministicState(0.5, 0.9, 0.95, 0.99)(latency_ms, cityHash64(span_id)) AS latency,
       quantilesDeterministicState(0.5, 0.9, 0.95, 0.99)(ttft_ms, cityHash64(span_id)) AS ttft
FROM generations
GROUP BY project_id, bucket, model, served_model, provider, source, status;
