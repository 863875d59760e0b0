-- Replays of a generation are read by `replay_of` (Generation.replays, the replay diff page): a bloom
-- filter lets that lookup skip the granules of a project's ordinary calls. Parts written before this
-- migration get the index as they merge.
ALTER TABLE generations ADD INDEX IF NOT EXISTS replay_of_bloom replay_of TYPE bloom_filter(0.01) GRANULARITY 4;
