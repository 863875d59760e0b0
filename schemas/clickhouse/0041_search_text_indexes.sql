-- Full-text search (issue 12) over generations' requests and answers, on text (inverted) indexes
-- instead of 0018's 4-gram bloom filters: on ~1 KB texts the bloom filters were saturated (at 200k
-- generations 62 of 70 granules survived a rare word, p95 3.96 s), and they cost more to build on
-- insert than a token dictionary does. Tokens are lower-cased words (splitByNonAlpha); a search is
-- `column ILIKE '%text%'` (analytics/filter-sql.ts), which ClickHouse answers from the index by
-- matching the pattern against the dictionary's tokens. Needs ClickHouse 26.4+ (chDB embeds 26.7).
ALTER TABLE generations DROP INDEX IF EXISTS input_ngrams;
ALTER TABLE generations DROP INDEX IF EXISTS output_ngrams;
ALTER TABLE generations ADD INDEX IF NOT EXISTS input_text input TYPE text(tokenizer = splitByNonAlpha, preprocessor = lowerUTF8(input));
ALTER TABLE generations ADD INDEX IF NOT EXISTS output_text output TYPE text(tokenizer = splitByNonAlpha, preprocessor = lowerUTF8(output));
-- Parts written before this migration get the indexes in the background.
ALTER TABLE generations MATERIALIZE INDEX input_text;
ALTER TABLE generations MATERIALIZE INDEX output_text;
