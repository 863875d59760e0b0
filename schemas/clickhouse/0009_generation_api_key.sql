-- The public id of the API key that sent a gateway call: budgets per API key rebuild their spend from it.
ALTER TABLE generations ADD COLUMN IF NOT EXISTS api_key_id String DEFAULT '' AFTER user_id;
