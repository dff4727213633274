-- Webhooks (the webhooks feature owns these tables): subscriptions, a transactional outbox of deliveries (one row
-- per event and webhook, inserted in the changing transaction) and an append-only log of every attempt.

CREATE TABLE webhooks (
    id                   uuid    PRIMARY KEY,
    name                 text    NOT NULL CHECK (name ~ '^[A-Za-z0-9]([A-Za-z0-9._-]{0,61}[A-Za-z0-9])?$'),
    description          text    NOT NULL DEFAULT '' CHECK (length(description) <= 1000),
    url                  text    NOT NULL CHECK (length(url) <= 2048),
    -- Event names as `entity.action` (lower case, as in a delivery's body).
    events               text[]  NOT NULL CHECK (cardinality(events) > 0),
    status               text    NOT NULL CHECK (status IN ('ACTIVE', 'DISABLED')),
    -- AES-256-GCM of the signing secret: 12-byte nonce then ciphertext and tag; null when unsigned.
    secret_ciphertext    bytea,
    -- Registered model ids the webhook is scoped to; null for a global webhook (admins only).
    model_ids            bigint[],
    creator              text    NOT NULL,
    -- Deliveries that exhausted their attempts in a row; reset by any success, the webhook disabled at the limit.
    consecutive_failures integer NOT NULL DEFAULT 0,
    created_at           bigint  NOT NULL,
    updated_at           bigint  NOT NULL
);

-- Listing is newest first with a keyset on (created_at, id); recording looks up the active ones.
CREATE INDEX webhooks_created_idx ON webhooks (created_at DESC, id DESC);
CREATE INDEX webhooks_active_idx ON webhooks USING gin (events) WHERE status = 'ACTIVE';

CREATE TABLE webhook_deliveries (
    id              uuid    PRIMARY KEY,
    webhook_id      uuid    NOT NULL REFERENCES webhooks (id) ON DELETE CASCADE,
    event           text    NOT NULL,
    -- The exact JSON body, built when the event was recorded; every attempt sends these bytes.
    payload         text    NOT NULL,
    state           text    NOT NULL CHECK (state IN ('PENDING', 'SUCCEEDED', 'FAILED')),
    attempts        integer NOT NULL DEFAULT 0,
    -- When a worker may next claim it: the back-off while pending, bumped as a lease while one sends it.
    next_attempt_at bigint  NOT NULL,
    last_error      text,
    created_at      bigint  NOT NULL,
    updated_at      bigint  NOT NULL
);

CREATE INDEX webhook_deliveries_due_idx ON webhook_deliveries (next_attempt_at) WHERE state = 'PENDING';
CREATE INDEX webhook_deliveries_webhook_idx ON webhook_deliveries (webhook_id, created_at DESC, id DESC);

CREATE TABLE webhook_attempts (
    id           bigint  GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    delivery_id  uuid    NOT NULL REFERENCES webhook_deliveries (id) ON DELETE CASCADE,
    attempted_at bigint  NOT NULL,
    -- The HTTP status answered; null when none was (refused address, timeout, connection error).
    status_code  integer,
    latency_ms   bigint  NOT NULL,
    error        text
);

CREATE INDEX webhook_attempts_delivery_idx ON webhook_attempts (delivery_id, id);
