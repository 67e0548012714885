-- When each row was stored, so that the relay's metrics can tell how long
-- the oldest unsent event has waited. Rows written before this migration
-- get the time it ran.
ALTER TABLE outbox ADD COLUMN created_at timestamptz NOT NULL DEFAULT now();
