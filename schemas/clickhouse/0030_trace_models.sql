-- The models, providers and sources of a trace's spans (distinct, sorted), rolled up with the trace:
-- the time-ordered trace list (0031) filters on them in the row instead of a subquery over all spans.
-- Traces rolled up before this migration have none until one of their spans changes; 0031 fills
-- its own copy of them from their spans.
ALTER TABLE traces ADD COLUMN IF NOT EXISTS models Array(LowCardinality(String)) DEFAULT [] AFTER tags;
ALTER TABLE traces ADD COLUMN IF NOT EXISTS providers Array(LowCardinality(String)) DEFAULT [] AFTER models;
ALTER TABLE traces ADD COLUMN IF NOT EXISTS sources Array(LowCardinality(String)) DEFAULT [] AFTER providers;
