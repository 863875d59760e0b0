-- Dashboards mark a cost that leaves generations out or rests on estimates: the rollups count the
-- generations flagged `unpriced` (no price in force: their cost is not in `cost`) and
-- `estimated_usage` (Sightline counted the tokens), as the raw rows do. Both views are made again with
-- the columns; generations recorded before this migration are counted by rows that add only these
-- two counts (every other sum 0, empty quantile states), which merge with the rows already there.
ALTER TABLE generation_rollup_minute ADD COLUMN IF NOT EXISTS unpriced SimpleAggregateFunction(sum, UInt64) DEFAULT 0 AFTER cost;
ALTER TABLE generation_rollup_minute ADD COLUMN IF NOT EXISTS estimated SimpleAggregateFunction(sum, UInt64) DEFAULT 0 AFTER unpriced;
ALTER TABLE generation_rollup_hour ADD COLUMN IF NOT EXISTS unpriced SimpleAggregateFunction(sum, UInt64) DEFAULT 0 AFTER cost;
ALTER TABLE generation_rollup_hour ADD COLUMN IF NOT EXISTS estimated SimpleAggregateFunction(sum, UInt64) DEFAULT 0 AFTER unpriced;

DROP VIEW IF EXISTS generation_rollup_minute_mv;

CREATE MATERIALIZED VIEW IF NOT EXISTS generation_rollup_minute_mv TO generation_rollup_minute AS
SELECT project_id, toStartOfMinute(started_at) AS bucket, model, served_model, provider, source,
       toString(status) AS status,
       count() AS requests,
       sum(toUInt64(input_tokens)) AS input_tokens,
       sum(toUInt64(output_tokens)) AS output_tokens,
       sum(toUInt64(cached_tokens)) AS cached_tokens,
       sum(toUInt64(reasoning_tokens)) AS reasoning_tokens,
       sum(toDecimal128(ifNull(cost_usd, 0), 10)) AS cost,
       toUInt64(countIf(has(cost_flags, 'unpriced'))) AS unpriced,
       toUInt64(countIf(has(cost_flags, 'estimated_usage'))) AS estimated,
       sum(toFloat64(ifNull(output_tokens_per_second, 0))) AS tps_sum,
       count(output_tokens_per_second) AS tps_count,
       quantilesDeterministicState(0.5, 0.9, 0.95, 0.99)(latency_ms, cityHash64(span_id)) AS latency,
       quantilesDeterministicState(0.5, 0.9, 0.95, 0.99)(ttft_ms, cityHash64(span_id)) AS ttft
FROM generations
GROUP BY project_id, bucket, model, served_model, provider, source, status;

DROP VIEW IF EXISTS generation_rollup_hour_mv;

CREATE MATERIALIZED VIEW IF NOT EXISTS generation_rollup_hour_mv TO generation_rollup_hour AS
SELECT project_id, toStartOfHour(bucket) AS bucket, model, served_model, provider, source, status,
       sum(requests) AS requests,
       sum(input_tokens) AS input_tokens,
       sum(output_tokens) AS output_tokens,
       sum(cached_tokens) AS cached_tokens,
       sum(reasoning_tokens) AS reasoning_tokens,
       sum(cost) AS cost,
       sum(unpriced) AS unpriced,
       sum(estimated) AS estimated,
       sum(tps_sum) AS tps_sum,
       sum(tps_count) AS tps_count,
       quantilesDeterministicMergeState(0.5, 0.9, 0.95, 0.99)(latency) AS latency,
       quantilesDeterministicMergeState(0.5, 0.9, 0.95, 0.99)(ttft) AS ttft
FROM generation_rollup_minute
GROUP BY project_id, bucket, model, served_model, provider, source, status;

-- Generations recorded before this migration: their two counts (the hour view adds them up too).
INSERT INTO generation_rollup_minute (project_id, bucket, model, served_model, provider, source, status, unpriced, estimated)
SELECT project_id, toStartOfMinute(started_at) AS bucket, model, served_model, provider, source,
       toString(status) AS status,
       toUInt64(countIf(has(cost_flags, 'unpriced'))) AS unpriced,
       toUInt64(countIf(has(cost_flags, 'estimated_usage'))) AS estimated
FROM generations
WHERE has(cost_flags, 'unpriced') OR has(cost_flags, 'estimated_usage')
GROUP BY project_id, bucket, model, served_model, provider, source, status;
