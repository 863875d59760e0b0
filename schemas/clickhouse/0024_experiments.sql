-- Bulk replay (experiments). The definition and status are control events (`experiment.*`); the
-- replays are ordinary generations (replay_of, tag `experiment:<id>`). These tables hold what a run
-- needs to go on and to be compared:
-- experiment_items: the generations an experiment replays, fixed when it started (the filter's
-- matches, sampled), one row per configuration with the estimated cost of its replay (nano-USD).
CREATE TABLE IF NOT EXISTS experiment_items (
    project_id String,
    experiment_id String,
    configuration_id LowCardinality(String),
    ord UInt32,
    generation_id String,
    estimate_nano_usd Int64
) ENGINE = ReplacingMergeTree
ORDER BY (project_id, experiment_id, configuration_id, ord)
SETTINGS non_replicated_deduplication_window = 10000;

-- experiment_results: the run's checkpoint, one row per item replayed (written as replays end, in
-- batches). An item with a row is never replayed again under that configuration; reads take one
-- row per item (LIMIT 1 BY), never waiting for a merge.
CREATE TABLE IF NOT EXISTS experiment_results (
    project_id String,
    experiment_id String,
    configuration_id LowCardinality(String),
    generation_id String,
    replay_generation_id String,
    status Enum8('completed' = 1, 'failed' = 2),
    cost_nano_usd Nullable(Int64),
    latency_ms Nullable(UInt32),
    error_code String,
    recorded_at DateTime64(3, 'UTC')
) ENGINE = ReplacingMergeTree(recorded_at)
ORDER BY (project_id, experiment_id, configuration_id, generation_id)
SETTINGS non_replicated_deduplication_window = 10000;
