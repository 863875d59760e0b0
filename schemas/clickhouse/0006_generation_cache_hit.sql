-- Answers the gateway served from its response cache (no provider was called).
ALTER TABLE generations ADD COLUMN IF NOT EXISTS cache_hit Bool DEFAULT false AFTER stream;
