-- The trace view reads one trace's archived events by (project, trace): the sort key finds them, but
-- a granule of 8,192 rows holds ~8 MB of `data` (~1 KB an event), and reading the trace's ~5 rows
-- decompressed the whole granule: at 10 million generations that was ~5 ms of a trace view's ~10 ms
-- archive read. Granule size is fixed when a table is made, so `events` is made again with granules of
-- at most 256 KiB (~230 events), same columns, sort key, partitions, TTL and indexes.
-- No copy: the old table's parts are attached to the new one (hard links, milliseconds), the tables
-- are swapped by name, and REWRITE PARTS then rewrites each part in the new granules as a background
-- mutation (startup does not wait; a part not yet rewritten is read as before).
-- Re-runnable at any step: `events_regranulated` only ever holds parts `events` also holds. Like every
-- migration it runs before its process archives anything; an event another process archived between
-- the attach and the swap (milliseconds) would go with the old table.
DROP TABLE IF EXISTS events_regranulated SYNC;

CREATE TABLE events_regranulated AS events
ENGINE = MergeTree
PARTITION BY toYYYYMM(occurred_at)
ORDER BY (project_id, trace_id, span_id, occurred_at, event_id)
TTL expires_at DELETE
SETTINGS index_granularity_bytes = 262144, non_replicated_deduplication_window = 10000;

ALTER TABLE events_regranulated ATTACH PARTITION ALL FROM events;

EXCHANGE TABLES events AND events_regranulated;

DROP TABLE events_regranulated SYNC;

ALTER TABLE events REWRITE PARTS SETTINGS mutations_sync = 0;
