-- Governance of the registry's stages and aliases: policies, transition requests and their approvals, comments on
-- versions, and the append-only activity log. Owned by the governance feature.

-- A model's own policy (JSON, validated by the server); a model without one follows the server default.
CREATE TABLE model_policies (
    model_id   bigint PRIMARY KEY REFERENCES registered_models (id) ON DELETE CASCADE,
    policy     jsonb  NOT NULL,
    updated_by text   NOT NULL,
    updated_at bigint NOT NULL
);

-- A request to move a version into a stage or to point an alias at it. At most one open request per
-- (model, version, target): a second create finds the open one.
CREATE TABLE transition_requests (
    id               text    PRIMARY KEY,
    model_id         bigint  NOT NULL REFERENCES registered_models (id) ON DELETE CASCADE,
    version          int     NOT NULL,
    target_kind      text    NOT NULL CHECK (target_kind IN ('STAGE', 'ALIAS')),
    target           text    NOT NULL,
    from_stage       text    NOT NULL,
    manifest_digest  text    NOT NULL,
    state            text    NOT NULL CHECK (state IN ('OPEN', 'APPLIED', 'REJECTED', 'CANCELLED', 'STALE')),
    creator          text    NOT NULL,
    comment          text,
    archive_existing boolean NOT NULL DEFAULT false,
    gates            jsonb,
    created_at       bigint  NOT NULL,
    updated_at       bigint  NOT NULL,
    closed_by        text,
    closed_reason    text
);
CREATE UNIQUE INDEX transition_requests_open_idx ON transition_requests (model_id, version, target_kind, target)
    WHERE state = 'OPEN';
CREATE INDEX transition_requests_model_idx ON transition_requests (model_id, version, created_at DESC);
CREATE INDEX transition_requests_open_all_idx ON transition_requests (created_at) WHERE state = 'OPEN';

-- One row per distinct approver of a request.
CREATE TABLE request_approvals (
    request_id text   NOT NULL REFERENCES transition_requests (id) ON DELETE CASCADE,
    approver   text   NOT NULL,
    comment    text,
    time       bigint NOT NULL,
    PRIMARY KEY (request_id, approver)
);

-- Comments on a model version (Databricks' comments API): editable by their author, removable by the author or
-- an admin; every change is also in the activity log.
CREATE TABLE version_comments (
    id         text   PRIMARY KEY,
    model_id   bigint NOT NULL REFERENCES registered_models (id) ON DELETE CASCADE,
    version    int    NOT NULL,
    user_id    text   NOT NULL,
    comment    text   NOT NULL,
    created_at bigint NOT NULL,
    updated_at bigint NOT NULL
);
CREATE INDEX version_comments_version_idx ON version_comments (model_id, version, created_at);

-- Everything that happened to requests, comments, policies and overrides, with the acting user and the gate
-- results it saw. Append-only (a trigger refuses changes), and kept when the model is deleted.
CREATE TABLE governance_activity (
    id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    model_id       bigint NOT NULL,
    model_name     text   NOT NULL,
    version        int,
    request_id     text,
    activity_type  text   NOT NULL,
    user_id        text   NOT NULL,
    comment        text,
    from_stage     text,
    to_stage       text,
    alias          text,
    system_comment text,
    gates          jsonb,
    time           bigint NOT NULL
);
CREATE INDEX governance_activity_version_idx ON governance_activity (model_id, version, id);
CREATE INDEX governance_activity_request_idx ON governance_activity (request_id, id) WHERE request_id IS NOT NULL;

CREATE FUNCTION governance_activity_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'governance_activity is append-only';
END
$$;
CREATE TRIGGER governance_activity_no_change BEFORE UPDATE OR DELETE ON governance_activity
    FOR EACH ROW EXECUTE FUNCTION governance_activity_append_only();
CREATE TRIGGER governance_activity_no_truncate BEFORE TRUNCATE ON governance_activity
    FOR EACH STATEMENT EXECUTE FUNCTION governance_activity_append_only();
