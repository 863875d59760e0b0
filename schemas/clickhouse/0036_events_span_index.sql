-- A generation's recorded request is read by its span id alone (replay, bulk replay, the playground):
-- the sort key starts with (project_id, trace_id), so without this every granule of the project was read.
-- A bloom filter per granule lets that lookup skip all but the few granules that may hold the span.
ALTER TABLE events ADD INDEX IF NOT EXISTS span_id_bloom span_id TYPE bloom_filter(0.01) GRANULARITY 1;
-- Parts written before this migration: build their index in a background mutation (it reads only
-- span_id and writes only the index files; it does not block startup, and until a part has its index
-- that part is read whole, as before). Re-running it is harmless.
ALTER TABLE events MATERIALIZE INDEX span_id_bloom;
