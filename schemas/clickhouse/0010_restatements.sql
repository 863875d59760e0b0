-- Restated cost: a generation re-priced from the event log by a restatement job (npm run restate, or
-- the startRestatement mutation). One row per generation and restatement; the newest restatement
-- (highest `version`, its start in ms) wins, at read time (argMax), never by waiting for a merge.
-- Amounts are integer nano-dollars (1e-9 USD). Retried blocks are dropped by insert_deduplication_token.
CREATE TABLE IF NOT EXISTS restated_costs (
    project_id String,
    span_id String,
    trace_id String,
    user_id String,
    started_at DateTime64(3, 'UTC'),
    restatement_id String,
    version UInt64,
    total_nano_usd Int64,
    input_nano_usd Int64,
    output_nano_usd Int64,
    cached_input_nano_usd Int64,
    cache_write_nano_usd Int64,
    reasoning_nano_usd Int64,
    audio_nano_usd Int64,
    image_nano_usd Int64,
    request_fee_nano_usd Int64,
    price_version String,
    flags Array(LowCardinality(String))
) ENGINE = ReplacingMergeTree(version)
ORDER BY (project_id, span_id)
SETTINGS non_replicated_deduplication_window = 10000;
-- What a restatement job did, append-only: started (with the log's end offsets), progress (positions
-- per partition, counts), cancelled, resumed, finished, failed. A job's state is the fold of its rows.
CREATE TABLE IF NOT EXISTS restatement_log (
    project_id String,
    restatement_id String,
    seq UInt64,
    at DateTime64(3, 'UTC'),
    kind LowCardinality(String),
    payload String
) ENGINE = MergeTree
ORDER BY (project_id, restatement_id, seq)
SETTINGS non_replicated_deduplication_window = 10000;
