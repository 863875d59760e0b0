-- Output tokens per second of a streamed answer: output tokens / (latency − time to first token).
-- NULL when not computable (no first token, nothing after it, no token count); rows projected before
-- this column stay NULL until a rebuild.
ALTER TABLE generations ADD COLUMN IF NOT EXISTS output_tokens_per_second Nullable(Float32) AFTER ttft_ms;
