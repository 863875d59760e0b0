-- The app's end user on every archived event, so deleting one end user's data can find it.
ALTER TABLE events ADD COLUMN IF NOT EXISTS end_user_id String DEFAULT '' AFTER parent_span_id;
