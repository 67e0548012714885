-- Orders, and the outbox of events still to be published. Both are
-- written in one transaction, so an order never exists without its event.
CREATE TABLE orders (
    id              text PRIMARY KEY,
    customer_id     text NOT NULL,
    items           jsonb NOT NULL,
    total_cents     bigint NOT NULL CHECK (total_cents >= 0),
    created_at      timestamptz NOT NULL,
    -- NULL when the client sent no Idempotency-Key; UNIQUE ignores NULLs.
    idempotency_key text UNIQUE,
    fingerprint     text
);

CREATE TABLE outbox (
    seq      bigserial PRIMARY KEY, -- publishing order
    event_id text NOT NULL UNIQUE,
    event    jsonb NOT NULL,
    sent_at  timestamptz
);

-- The relay only ever reads unsent rows: keep that scan small.
CREATE INDEX outbox_unsent ON outbox (seq) WHERE sent_at IS NULL;
