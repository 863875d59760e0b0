-- Calls the caller cancelled; every choice of an answer (n > 1) and its tool calls, whole and queryable
-- (`has(tool_names, 'get_weather')`); where the token counts come from; the model that actually served.
ALTER TABLE generations MODIFY COLUMN status Enum8('completed' = 1, 'failed' = 2, 'cancelled' = 3);
ALTER TABLE generations ADD COLUMN IF NOT EXISTS served_model String DEFAULT '' AFTER model;
ALTER TABLE generations ADD COLUMN IF NOT EXISTS usage_source Enum8('reported' = 1, 'estimated' = 2, 'unknown' = 3) DEFAULT 'reported' AFTER reasoning_tokens;
-- JSON: [{index, content, refusal?, reasoning?, finishReason}] (tool calls in their own column).
ALTER TABLE generations ADD COLUMN IF NOT EXISTS choices String DEFAULT '[]' CODEC(ZSTD(3)) AFTER output;
-- JSON: [{choice, id, name, arguments}], arguments as the model wrote them.
ALTER TABLE generations ADD COLUMN IF NOT EXISTS tool_calls String DEFAULT '[]' CODEC(ZSTD(3)) AFTER choices;
ALTER TABLE generations ADD COLUMN IF NOT EXISTS tool_names Array(LowCardinality(String)) DEFAULT [] AFTER tool_calls;
