-- Requests the gateway refused before trying a provider: one immutable row per
-- `gateway.request-refused` event, each counting `count` refusals of one kind between first_at and
-- last_at. Totals are sum(count); retried inserts are dropped by insert_deduplication_token.
CREATE TABLE IF NOT EXISTS gateway_refusals (
    project_id String,
    event_id UUID,
    endpoint LowCardinality(String),
    status UInt16,
    code LowCardinality(String),
    model String,
    api_key_id String,
    count UInt32,
    first_at DateTime64(3, 'UTC'),
    last_at DateTime64(3, 'UTC')
) ENGINE = MergeTree
PARTITION BY toYYYYMM(last_at)
ORDER BY (project_id, last_at, event_id)
SETTINGS non_replicated_deduplication_window = 10000;
