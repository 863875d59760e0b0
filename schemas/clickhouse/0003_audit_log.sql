-- Who changed what, when: every control-plane event, kept after the control topic is compacted.
CREATE TABLE IF NOT EXISTS audit_log (
    project_id String,
    occurred_at DateTime64(3, 'UTC'),
    event_id UUID,
    actor_user_id String,
    actor_via LowCardinality(String),
    action LowCardinality(String),
    target String
) ENGINE = MergeTree
ORDER BY (project_id, occurred_at, event_id)
SETTINGS non_replicated_deduplication_window = 10000;
