-- Skip indexes for filters and search (issue 12). Full-text search is a lower-cased LIKE over the
-- whole request and answer (analytics/filter-sql.ts): 4-gram bloom filters over the same expressions
-- let a rare word skip the granules that cannot hold it. End users and sessions are looked up by
-- value: bloom filters. Parts written before this migration get the indexes as they merge.
ALTER TABLE generations ADD INDEX IF NOT EXISTS input_ngrams lowerUTF8(input) TYPE ngrambf_v1(4, 65536, 2, 0) GRANULARITY 1;
ALTER TABLE generations ADD INDEX IF NOT EXISTS output_ngrams lowerUTF8(ifNull(output, '')) TYPE ngrambf_v1(4, 65536, 2, 0) GRANULARITY 1;
ALTER TABLE generations ADD INDEX IF NOT EXISTS user_bloom user_id TYPE bloom_filter(0.01) GRANULARITY 4;
ALTER TABLE generations ADD INDEX IF NOT EXISTS session_bloom session_id TYPE bloom_filter(0.01) GRANULARITY 4;
ALTER TABLE traces ADD INDEX IF NOT EXISTS user_bloom user_id TYPE bloom_filter(0.01) GRANULARITY 4;
ALTER TABLE traces ADD INDEX IF NOT EXISTS session_bloom session_id TYPE bloom_filter(0.01) GRANULARITY 4;
