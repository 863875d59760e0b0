-- The read models expire with their project's retention, like the archive (0021): each row gets
-- `expires_at` from the project_retention_days dictionary when it is inserted (a changed retention
-- re-materializes it, see retention.projection.ts) and TTL deletes it then. Rows expire by the time
-- their data happened: a span or trace by its start, a rollup by its bucket, a score when recorded.

ALTER TABLE generations ADD COLUMN IF NOT EXISTS expires_at DateTime('UTC') MATERIALIZED
    if(dictGetOrDefault('project_retention_days', 'days', tuple(project_id), toUInt16(0)) = 0,
       toDateTime('2106-01-01 00:00:00', 'UTC'),
       toDateTime(started_at) + toIntervalDay(dictGetOrDefault('project_retention_days', 'days', tuple(project_id), toUInt16(0))));
ALTER TABLE generations MODIFY TTL expires_at DELETE;

ALTER TABLE spans ADD COLUMN IF NOT EXISTS expires_at DateTime('UTC') MATERIALIZED
    if(dictGetOrDefault('project_retention_days', 'days', tuple(project_id), toUInt16(0)) = 0,
       toDateTime('2106-01-01 00:00:00', 'UTC'),
       toDateTime(started_at) + toIntervalDay(dictGetOrDefault('project_retention_days', 'days', tuple(project_id), toUInt16(0))));
ALTER TABLE spans MODIFY TTL expires_at DELETE;

ALTER TABLE traces ADD COLUMN IF NOT EXISTS expires_at DateTime('UTC') MATERIALIZED
    if(dictGetOrDefault('project_retention_days', 'days', tuple(project_id), toUInt16(0)) = 0,
       toDateTime('2106-01-01 00:00:00', 'UTC'),
       toDateTime(started_at) + toIntervalDay(dictGetOrDefault('project_retention_days', 'days', tuple(project_id), toUInt16(0))));
ALTER TABLE traces MODIFY TTL expires_at DELETE;

ALTER TABLE trace_groups ADD COLUMN IF NOT EXISTS expires_at DateTime('UTC') MATERIALIZED
    if(dictGetOrDefault('project_retention_days', 'days', tuple(project_id), toUInt16(0)) = 0,
       toDateTime('2106-01-01 00:00:00', 'UTC'),
       toDateTime(started_at) + toIntervalDay(dictGetOrDefault('project_retention_days', 'days', tuple(project_id), toUInt16(0))));
ALTER TABLE trace_groups MODIFY TTL expires_at DELETE;

ALTER TABLE scores ADD COLUMN IF NOT EXISTS expires_at DateTime('UTC') MATERIALIZED
    if(dictGetOrDefault('project_retention_days', 'days', tuple(project_id), toUInt16(0)) = 0,
       toDateTime('2106-01-01 00:00:00', 'UTC'),
       toDateTime(recorded_at) + toIntervalDay(dictGetOrDefault('project_retention_days', 'days', tuple(project_id), toUInt16(0))));
ALTER TABLE scores MODIFY TTL expires_at DELETE;

ALTER TABLE trace_times ADD COLUMN IF NOT EXISTS expires_at DateTime('UTC') MATERIALIZED
    if(dictGetOrDefault('project_retention_days', 'days', tuple(project_id), toUInt16(0)) = 0,
       toDateTime('2106-01-01 00:00:00', 'UTC'),
       toDateTime(first_at) + toIntervalDay(dictGetOrDefault('project_retention_days', 'days', tuple(project_id), toUInt16(0))));
ALTER TABLE trace_times MODIFY TTL expires_at DELETE;

ALTER TABLE generation_rollup_minute ADD COLUMN IF NOT EXISTS expires_at DateTime('UTC') MATERIALIZED
    if(dictGetOrDefault('project_retention_days', 'days', tuple(project_id), toUInt16(0)) = 0,
       toDateTime('2106-01-01 00:00:00', 'UTC'),
       toDateTime(bucket) + toIntervalDay(dictGetOrDefault('project_retention_days', 'days', tuple(project_id), toUInt16(0))));
ALTER TABLE generation_rollup_minute MODIFY TTL expires_at DELETE;

ALTER TABLE generation_rollup_hour ADD COLUMN IF NOT EXISTS expires_at DateTime('UTC') MATERIALIZED
    if(dictGetOrDefault('project_retention_days', 'days', tuple(project_id), toUInt16(0)) = 0,
       toDateTime('2106-01-01 00:00:00', 'UTC'),
       toDateTime(bucket) + toIntervalDay(dictGetOrDefault('project_retention_days', 'days', tuple(project_id), toUInt16(0))));
ALTER TABLE generation_rollup_hour MODIFY TTL expires_at DELETE;

ALTER TABLE restated_costs ADD COLUMN IF NOT EXISTS expires_at DateTime('UTC') MATERIALIZED
    if(dictGetOrDefault('project_retention_days', 'days', tuple(project_id), toUInt16(0)) = 0,
       toDateTime('2106-01-01 00:00:00', 'UTC'),
       toDateTime(started_at) + toIntervalDay(dictGetOrDefault('project_retention_days', 'days', tuple(project_id), toUInt16(0))));
ALTER TABLE restated_costs MODIFY TTL expires_at DELETE;

ALTER TABLE gateway_refusals ADD COLUMN IF NOT EXISTS expires_at DateTime('UTC') MATERIALIZED
    if(dictGetOrDefault('project_retention_days', 'days', tuple(project_id), toUInt16(0)) = 0,
       toDateTime('2106-01-01 00:00:00', 'UTC'),
       toDateTime(last_at) + toIntervalDay(dictGetOrDefault('project_retention_days', 'days', tuple(project_id), toUInt16(0))));
ALTER TABLE gateway_refusals MODIFY TTL expires_at DELETE;
