-- Generations whose token counts Sightline estimated (the provider reported none, cost flag
-- `estimated_usage`), counted with each trace's totals so that lists mark its tokens and cost as
-- estimates (≈). Traces, their list copy and their session/user rows carry it; the list's view is
-- made again with the column. Rollups written before this migration count 0 until one of the trace's
-- spans changes (their spans keep the flag, and the trace detail marks them).
ALTER TABLE traces ADD COLUMN IF NOT EXISTS estimated_count UInt32 DEFAULT 0 AFTER unpriced_count;
ALTER TABLE trace_list ADD COLUMN IF NOT EXISTS estimated_count UInt32 DEFAULT 0 AFTER unpriced_count;
ALTER TABLE trace_groups ADD COLUMN IF NOT EXISTS estimated_count UInt32 DEFAULT 0 AFTER unpriced_count;

DROP VIEW IF EXISTS trace_list_mv;

CREATE MATERIALIZED VIEW IF NOT EXISTS trace_list_mv TO trace_list AS
SELECT project_id, started_at, trace_id, root_span_id, name, ended_at, latency_ms, span_count, generation_count,
       error_count, orphan_count, input_tokens, output_tokens, total_tokens, total_cost_usd, unpriced_count,
       estimated_count, input_preview, output_preview, user_id, session_id, tags, models, providers, sources,
       release, app_version, environment, event_count
FROM traces;
