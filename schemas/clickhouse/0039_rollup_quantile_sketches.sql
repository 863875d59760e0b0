-- Latency and time-to-first-token quantiles become DDSketches (quantilesDD at 1 % relative accuracy)
-- in the rollups and in raw-row queries alike. The deterministic reservoir states of 0017 keep up to
-- 8,192 samples each, so at 10 million generations an hourly rollup still held every sample and a
-- 30-day dashboard merged them all (~770 ms); a sketch holds one count per logarithmic bin (a few
-- hundred at most), and merging sketches adds counts, so any merge order gives what one sketch over
-- the raw rows gives: the rollup and the raw rows still answer the same.
-- New columns (an aggregate state's function cannot be altered in place), both views made again
-- without the old ones, the sketches of generations recorded before this migration added by rows that
-- hold only them (every sum 0; the hour view adds them up too), then the old states dropped.
ALTER TABLE generation_rollup_minute ADD COLUMN IF NOT EXISTS latency_sketch AggregateFunction(quantilesDD(0.01, 0.5, 0.9, 0.95, 0.99), UInt32);
ALTER TABLE generation_rollup_minute ADD COLUMN IF NOT EXISTS ttft_sketch AggregateFunction(quantilesDD(0.01, 0.5, 0.9, 0.95, 0.99), Nullable(UInt32));
ALTER TABLE generation_rollup_hour ADD COLUMN IF NOT EXISTS latency_sketch AggregateFunction(quantilesDD(0.01, 0.5, 0.9, 0.95, 0.99), UInt32);
ALTER TABLE generation_rollup_hour ADD COLUMN IF NOT EXISTS ttft_sketch AggregateFunction(quantilesDD(0.01, 0.5, 0.9, 0.95, 0.99), Nullable(UInt32));

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
       quantilesDDState(0.01, 0.5, 0.9, 0.95, 0.99)(latency_ms) AS latency_sketch,
       quantilesDDState(0.01, 0.5, 0.9, 0.95, 0.99)(ttft_ms) AS ttft_sketch
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
       quantilesDDMergeState(0.01, 0.5, 0.9, 0.95, 0.99)(latency_sketch) AS latency_sketch,
       quantilesDDMergeState(0.01, 0.5, 0.9, 0.95, 0.99)(ttft_sketch) AS ttft_sketch
FROM generation_rollup_minute
GROUP BY project_id, bucket, model, served_model, provider, source, status;

-- Generations recorded before this migration: their sketches, per minute (the hour view adds them up).
INSERT INTO generation_rollup_minute (project_id, bucket, model, served_model, provider, source, status, latency_sketch, ttft_sketch)
SELECT project_id, toStartOfMinute(started_at) AS bucket, model, served_model, provider, source,
       toString(status) AS status,
       quantilesDDState(0.01, 0.5, 0.9, 0.95, 0.99)(latency_ms) AS latency_sketch,
       quantilesDDState(0.01, 0.5, 0.9, 0.95, 0.99)(ttft_ms) AS ttft_sketch
FROM generations
GROUP BY project_id, bucket, model, served_model, provider, source, status;

ALTER TABLE generation_rollup_minute DROP COLUMN IF EXISTS latency;
ALTER TABLE generation_rollup_minute DROP COLUMN IF EXISTS ttft;
ALTER TABLE generation_rollup_hour DROP COLUMN IF EXISTS latency;
ALTER TABLE generation_rollup_hour DROP COLUMN IF EXISTS ttft;

-- The hour rollup is small (a row per hour and key): merge the rows the backfill added now, so a
-- dashboard does not merge twice the sketches until a background merge gets to them.
OPTIMIZE TABLE generation_rollup_hour FINAL;
