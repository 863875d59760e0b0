-- The trace list, newest first: every rollup of a trace (fed by a view on `traces` inserts) filed by
-- (project, start, trace), so a page reads the project's newest rows in sort-key order and stops once
-- it has enough, instead of merging every trace of the project under FINAL. Filters on models,
-- providers and sources (0030) are columns of the row. A trace whose start moved earlier (a root
-- arrived late) leaves its older rollups at their old places: a list read keeps only rows carrying
-- the trace's current version (max event_count in `traces`, a primary-key lookup), see trace-queries.
-- A page is read in three short steps: the keys of the first matches in key order, their current
-- versions, then the whole rows of the ones kept (a narrow key range).
CREATE TABLE IF NOT EXISTS trace_list (
    project_id String,
    started_at DateTime64(3, 'UTC'),
    trace_id String,
    root_span_id String,
    name String,
    ended_at Nullable(DateTime64(3, 'UTC')),
    latency_ms Nullable(UInt32),
    span_count UInt32,
    generation_count UInt32,
    error_count UInt32,
    orphan_count UInt32,
    input_tokens UInt64,
    output_tokens UInt64,
    total_tokens UInt64,
    total_cost_usd Decimal(18, 10),
    unpriced_count UInt32,
    input_preview String CODEC(ZSTD(3)),
    output_preview String CODEC(ZSTD(3)),
    user_id String,
    session_id String,
    tags Array(String),
    models Array(LowCardinality(String)),
    providers Array(LowCardinality(String)),
    sources Array(LowCardinality(String)),
    release String,
    app_version String,
    environment LowCardinality(String),
    event_count UInt64,
    expires_at DateTime('UTC') MATERIALIZED
        if(dictGetOrDefault('project_retention_days', 'days', tuple(project_id), toUInt16(0)) = 0,
           toDateTime('2106-01-01 00:00:00', 'UTC'),
           toDateTime(started_at) + toIntervalDay(dictGetOrDefault('project_retention_days', 'days', tuple(project_id), toUInt16(0)))),
    INDEX user_bloom user_id TYPE bloom_filter(0.01) GRANULARITY 4,
    INDEX session_bloom session_id TYPE bloom_filter(0.01) GRANULARITY 4
) ENGINE = ReplacingMergeTree(event_count)
PARTITION BY toYYYYMM(started_at)
ORDER BY (project_id, started_at, trace_id)
TTL expires_at DELETE
-- Small granules: a page reads the newest granule of each part, and then only its own rows' previews.
SETTINGS index_granularity = 1024, non_replicated_deduplication_window = 10000;

CREATE MATERIALIZED VIEW IF NOT EXISTS trace_list_mv TO trace_list AS
SELECT project_id, started_at, trace_id, root_span_id, name, ended_at, latency_ms, span_count, generation_count,
       error_count, orphan_count, input_tokens, output_tokens, total_tokens, total_cost_usd, unpriced_count,
       input_preview, output_preview, user_id, session_id, tags, models, providers, sources, release, app_version,
       environment, event_count
FROM traces;

-- Traces rolled up before this migration, with the models, providers and sources of their spans.
INSERT INTO trace_list (project_id, started_at, trace_id, root_span_id, name, ended_at, latency_ms, span_count,
       generation_count, error_count, orphan_count, input_tokens, output_tokens, total_tokens, total_cost_usd,
       unpriced_count, input_preview, output_preview, user_id, session_id, tags, models, providers, sources, release,
       app_version, environment, event_count)
SELECT t.project_id, t.started_at, t.trace_id, t.root_span_id, t.name, t.ended_at, t.latency_ms, t.span_count,
       t.generation_count, t.error_count, t.orphan_count, t.input_tokens, t.output_tokens, t.total_tokens,
       t.total_cost_usd, t.unpriced_count, t.input_preview, t.output_preview, t.user_id, t.session_id, t.tags,
       s.models, s.providers, s.sources, t.release, t.app_version, t.environment, t.event_count
FROM traces AS t FINAL
LEFT JOIN (
    SELECT project_id, trace_id,
           arraySort(groupUniqArrayIf(toString(model), model != '')) AS models,
           arraySort(groupUniqArrayIf(toString(provider), provider != '')) AS providers,
           arraySort(groupUniqArrayIf(toString(source), source != '')) AS sources
    FROM spans FINAL
    GROUP BY project_id, trace_id
) AS s ON s.project_id = t.project_id AND s.trace_id = t.trace_id;
