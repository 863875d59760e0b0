-- What spans and traces cost, exact decimals as on generations (0008). A span's cost is its
-- generation's (null for other kinds, and while unpriced); a trace's is the sum of its priced spans,
-- with the count of completed generations whose cost is unknown beside it (the sum leaves them out).
-- orphan_count: spans naming a parent that is not (yet) in the trace.
ALTER TABLE spans ADD COLUMN IF NOT EXISTS cost_usd Nullable(Decimal(18, 10)) AFTER reasoning_tokens;
ALTER TABLE spans ADD COLUMN IF NOT EXISTS price_version String DEFAULT '' AFTER cost_usd;
ALTER TABLE spans ADD COLUMN IF NOT EXISTS cost_flags Array(LowCardinality(String)) DEFAULT [] AFTER price_version;
ALTER TABLE traces ADD COLUMN IF NOT EXISTS total_cost_usd Decimal(18, 10) DEFAULT 0 AFTER total_tokens;
ALTER TABLE traces ADD COLUMN IF NOT EXISTS unpriced_count UInt32 DEFAULT 0 AFTER total_cost_usd;
ALTER TABLE traces ADD COLUMN IF NOT EXISTS orphan_count UInt32 DEFAULT 0 AFTER error_count;
