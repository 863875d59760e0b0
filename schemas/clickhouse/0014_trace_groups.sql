-- Sessions and users: each trace's totals filed under its session and under its end user, one row
-- per (group, trace), so that a session's or a user's totals are a narrow primary-key range summed
-- under FINAL (correct before any merge). A trace that changes session or user (its root arrived
-- late) leaves a deleting row (is_deleted = 1) in the group it left, at the newer version.
CREATE TABLE IF NOT EXISTS trace_groups (
    project_id String,
    dimension Enum8('session' = 1, 'user' = 2),
    group_id String,
    trace_id String,
    started_at DateTime64(3, 'UTC'),
    ended_at Nullable(DateTime64(3, 'UTC')),
    generation_count UInt32,
    error_count UInt32,
    input_tokens UInt64,
    output_tokens UInt64,
    total_tokens UInt64,
    total_cost_usd Decimal(18, 10),
    unpriced_count UInt32,
    session_id String,
    user_id String,
    event_count UInt64,
    is_deleted UInt8
) ENGINE = ReplacingMergeTree(event_count, is_deleted)
ORDER BY (project_id, dimension, group_id, trace_id)
SETTINGS non_replicated_deduplication_window = 10000;
