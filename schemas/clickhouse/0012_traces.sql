-- Spans of every kind (gateway and playground generations included), one current row per span.
-- A span may be reported in several events (start, end, in any order): each projection of the span
-- folds all its events into a whole row whose `event_count` is the number of distinct events folded,
-- so the fullest row wins. Reads use FINAL: correct before any background merge.
-- Whole input/output stay in `events`; here only previews.
CREATE TABLE IF NOT EXISTS spans (
    project_id String,
    trace_id String,
    span_id String,
    parent_span_id String,
    kind LowCardinality(String),
    name String,
    source LowCardinality(String),
    status Enum8('unset' = 0, 'ok' = 1, 'error' = 2),
    status_message String,
    level LowCardinality(String),
    started_at DateTime64(3, 'UTC'),
    ended_at Nullable(DateTime64(3, 'UTC')),
    latency_ms Nullable(UInt32),
    model LowCardinality(String),
    provider LowCardinality(String),
    input_tokens UInt32,
    output_tokens UInt32,
    total_tokens UInt32,
    cached_tokens UInt32,
    reasoning_tokens UInt32,
    input_preview String CODEC(ZSTD(3)),
    output_preview String CODEC(ZSTD(3)),
    user_id String,
    session_id String,
    tags Array(String),
    metadata Map(String, String),
    release String,
    app_version String,
    environment LowCardinality(String),
    event_count UInt32
) ENGINE = ReplacingMergeTree(event_count)
ORDER BY (project_id, trace_id, span_id)
SETTINGS non_replicated_deduplication_window = 10000;

-- One current row per trace, rolled up from its spans each time one of them changes; the version is
-- the sum of its spans' event counts. Costs join later (costs-pricing) as more columns.
CREATE TABLE IF NOT EXISTS traces (
    project_id String,
    trace_id String,
    root_span_id String,
    name String,
    started_at DateTime64(3, 'UTC'),
    ended_at Nullable(DateTime64(3, 'UTC')),
    latency_ms Nullable(UInt32),
    span_count UInt32,
    generation_count UInt32,
    error_count UInt32,
    input_tokens UInt64,
    output_tokens UInt64,
    total_tokens UInt64,
    input_preview String CODEC(ZSTD(3)),
    output_preview String CODEC(ZSTD(3)),
    user_id String,
    session_id String,
    tags Array(String),
    release String,
    app_version String,
    environment LowCardinality(String),
    event_count UInt64
) ENGINE = ReplacingMergeTree(event_count)
ORDER BY (project_id, trace_id)
SETTINGS non_replicated_deduplication_window = 10000;

-- Scores of traces and spans; recording a score id again replaces it (the newer event wins).
CREATE TABLE IF NOT EXISTS scores (
    project_id String,
    score_id String,
    trace_id String,
    span_id String,
    name String,
    data_type Enum8('numeric' = 1, 'categorical' = 2, 'boolean' = 3),
    value Nullable(Float64),
    string_value String,
    comment String,
    source LowCardinality(String),
    recorded_at DateTime64(3, 'UTC'),
    event_id UUID
) ENGINE = ReplacingMergeTree(recorded_at)
ORDER BY (project_id, trace_id, score_id)
SETTINGS non_replicated_deduplication_window = 10000;
