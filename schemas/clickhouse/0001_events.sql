-- The raw archive of every event: the replay source once the log's retention has passed.
-- Rows are immutable; retried inserts are dropped by insert_deduplication_token.
CREATE TABLE IF NOT EXISTS events (
    project_id String,
    trace_id String,
    span_id String,
    parent_span_id String,
    event_id UUID,
    type LowCardinality(String),
    version UInt16,
    source LowCardinality(String),
    occurred_at DateTime64(3, 'UTC'),
    data String CODEC(ZSTD(3))
) ENGINE = MergeTree
PARTITION BY toYYYYMM(occurred_at)
ORDER BY (project_id, trace_id, span_id, occurred_at, event_id)
SETTINGS non_replicated_deduplication_window = 10000;
