-- When each trace's events happened (earliest and latest occurred_at of its span events): the
-- event archive is partitioned by month of occurred_at, so reading one trace's events within these
-- bounds opens only the parts of those months, not every part. min/max: idempotent under retries.
CREATE TABLE IF NOT EXISTS trace_times (
    project_id String,
    trace_id String,
    first_at SimpleAggregateFunction(min, DateTime64(3, 'UTC')),
    last_at SimpleAggregateFunction(max, DateTime64(3, 'UTC'))
) ENGINE = AggregatingMergeTree
ORDER BY (project_id, trace_id)
SETTINGS non_replicated_deduplication_window = 10000;
