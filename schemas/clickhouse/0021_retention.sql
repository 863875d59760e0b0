-- Per-project retention (control event project.retention-set, projected by the retention read
-- model): days to keep a project's LLM data, 0 for ever. A dictionary serves it to inserts.
CREATE TABLE IF NOT EXISTS project_retention (
    project_id String,
    days UInt16,
    set_at DateTime64(3, 'UTC')
) ENGINE = ReplacingMergeTree(set_at)
ORDER BY project_id
SETTINGS non_replicated_deduplication_window = 10000;

CREATE DICTIONARY IF NOT EXISTS project_retention_days (
    project_id String,
    days UInt16 DEFAULT 0
) PRIMARY KEY project_id
SOURCE(CLICKHOUSE(QUERY 'SELECT project_id, days FROM project_retention FINAL'))
LAYOUT(COMPLEX_KEY_HASHED())
LIFETIME(MIN 1 MAX 10);

-- The archive: each event expires `days` after it occurred (its project's retention when it was
-- inserted; a changed retention re-materializes the column), and TTL deletes it then.
ALTER TABLE events ADD COLUMN IF NOT EXISTS expires_at DateTime('UTC') MATERIALIZED
    if(dictGetOrDefault('project_retention_days', 'days', tuple(project_id), toUInt16(0)) = 0,
       toDateTime('2106-01-01 00:00:00', 'UTC'),
       toDateTime(occurred_at) + toIntervalDay(dictGetOrDefault('project_retention_days', 'days', tuple(project_id), toUInt16(0))));
ALTER TABLE events MODIFY TTL expires_at DELETE;
