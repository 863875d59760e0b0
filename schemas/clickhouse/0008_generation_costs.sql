-- What each generation cost, by part, as exact decimals (nano-dollars fit in 10 decimals); the total
-- stays in cost_usd and the price it used in price_table_version (0002). cost_flags says when the
-- total is not a price: unpriced, suspicious_usage, estimated_usage, approximate_tokens.
ALTER TABLE generations ADD COLUMN IF NOT EXISTS cost_input_usd Decimal(18, 10) DEFAULT 0 AFTER cost_usd;
ALTER TABLE generations ADD COLUMN IF NOT EXISTS cost_output_usd Decimal(18, 10) DEFAULT 0 AFTER cost_input_usd;
ALTER TABLE generations ADD COLUMN IF NOT EXISTS cost_cached_input_usd Decimal(18, 10) DEFAULT 0 AFTER cost_output_usd;
ALTER TABLE generations ADD COLUMN IF NOT EXISTS cost_cache_write_usd Decimal(18, 10) DEFAULT 0 AFTER cost_cached_input_usd;
ALTER TABLE generations ADD COLUMN IF NOT EXISTS cost_reasoning_usd Decimal(18, 10) DEFAULT 0 AFTER cost_cache_write_usd;
ALTER TABLE generations ADD COLUMN IF NOT EXISTS cost_audio_usd Decimal(18, 10) DEFAULT 0 AFTER cost_reasoning_usd;
ALTER TABLE generations ADD COLUMN IF NOT EXISTS cost_image_usd Decimal(18, 10) DEFAULT 0 AFTER cost_audio_usd;
ALTER TABLE generations ADD COLUMN IF NOT EXISTS cost_request_fee_usd Decimal(18, 10) DEFAULT 0 AFTER cost_image_usd;
ALTER TABLE generations ADD COLUMN IF NOT EXISTS cost_flags Array(LowCardinality(String)) DEFAULT [] AFTER price_table_version;
-- Cache writes billed apart (Anthropic), inside input_tokens; the tokenizer of estimated counts.
ALTER TABLE generations ADD COLUMN IF NOT EXISTS cache_write_tokens UInt32 DEFAULT 0 AFTER cached_tokens;
ALTER TABLE generations ADD COLUMN IF NOT EXISTS usage_tokenizer LowCardinality(String) DEFAULT '' AFTER usage_source;
