-- Model registry: versions pinned to immutable file manifests, aliases, and the append-only audit history.
--
-- Pinning: artifact objects are write-once (their keys derive from ids, an overwrite writes a new object and
-- orphans the old one). A version records the object keys of its files at creation; the sweeper never deletes
-- an object that a version still references, so the run's artifacts may change or vanish while the version's
-- bytes stay exactly what its manifest says.

CREATE TABLE model_versions (
    -- Surrogate key for keyset search pages; (model_id, version) is the public identity.
    id                bigint  GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    model_id          bigint  NOT NULL REFERENCES registered_models (id) ON DELETE CASCADE,
    version           integer NOT NULL CHECK (version > 0),
    creation_time     bigint  NOT NULL,
    last_updated_time bigint  NOT NULL,
    description       text    NOT NULL DEFAULT '',
    user_id           text,
    -- 'Deleted_Internal' is MLflow's soft-delete marker: the number is never reused.
    stage             text    NOT NULL DEFAULT 'None'
        CHECK (stage IN ('None', 'Staging', 'Production', 'Archived', 'Deleted_Internal')),
    status            text    NOT NULL DEFAULT 'READY'
        CHECK (status IN ('PENDING_REGISTRATION', 'READY', 'FAILED_REGISTRATION')),
    status_message    text,
    source            text    NOT NULL,
    run_id            text,
    run_link          text,
    -- Where MLflow clients download the pinned files (mlflow-artifacts:/registry/<model_id>/<version>).
    storage_location  text    NOT NULL,
    -- 'sha256:<hex>' of the canonical manifest JSON (see ModelManifest).
    manifest_digest   text    NOT NULL CHECK (manifest_digest ~ '^sha256:[0-9a-f]{64}$'),
    CONSTRAINT model_versions_number_key UNIQUE (model_id, version)
);
-- Serves "latest version per stage" and the stage lookups of the deployment API.
CREATE INDEX model_versions_stage_idx ON model_versions (model_id, stage, version DESC);
-- Serves version search in MLflow's default order (last_updated_timestamp DESC, name, version DESC).
CREATE INDEX model_versions_updated_idx ON model_versions (last_updated_time DESC, model_id, version DESC);
CREATE INDEX model_versions_run_idx ON model_versions (run_id);

-- The immutable manifest: one row per file, never updated.
CREATE TABLE model_version_files (
    version_id bigint NOT NULL REFERENCES model_versions (id) ON DELETE CASCADE,
    path       text   NOT NULL,
    size       bigint NOT NULL CHECK (size >= 0),
    sha256     text   NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
    object_key text   NOT NULL,
    PRIMARY KEY (version_id, path)
);
-- The sweeper asks "does any version still pin this object?".
CREATE INDEX model_version_files_object_idx ON model_version_files (object_key);

CREATE TABLE model_version_tags (
    version_id bigint NOT NULL REFERENCES model_versions (id) ON DELETE CASCADE,
    key        text   NOT NULL,
    value      text   NOT NULL,
    PRIMARY KEY (version_id, key)
);
CREATE INDEX model_version_tags_key_idx ON model_version_tags (key, version_id);

CREATE TABLE registered_model_aliases (
    model_id bigint NOT NULL REFERENCES registered_models (id) ON DELETE CASCADE,
    alias    text   NOT NULL CHECK (length(alias) BETWEEN 1 AND 255),
    version  integer NOT NULL,
    PRIMARY KEY (model_id, alias),
    FOREIGN KEY (model_id, version) REFERENCES model_versions (model_id, version) ON DELETE CASCADE
);

-- Every registry change, append-only. No foreign key to registered_models: the history outlives a deleted
-- model. Rows of one model are written under that model's row lock, so id order is the order of changes.
CREATE TABLE registry_audit (
    id          bigint  GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    model_id    bigint  NOT NULL,
    model_name  text    NOT NULL,
    version     integer,
    action      text    NOT NULL,
    actor       text    NOT NULL,
    time        bigint  NOT NULL,
    before      text,
    after       text,
    comment     text,
    -- Structured copies for point-in-time questions: the version's stage after this change
    -- (VERSION_CREATED, STAGE_CHANGED, VERSION_DELETED), or the alias this change moved (version NULL = removed).
    stage       text,
    alias       text
);
CREATE INDEX registry_audit_model_idx ON registry_audit (model_id, id);
CREATE INDEX registry_audit_stage_idx ON registry_audit (model_id, version, id) WHERE stage IS NOT NULL;
CREATE INDEX registry_audit_alias_idx ON registry_audit (model_id, alias, id) WHERE alias IS NOT NULL;
-- Finds the history of a deleted model by the name it had.
CREATE INDEX registry_audit_deleted_idx ON registry_audit (model_name, id) WHERE action = 'MODEL_DELETED';

CREATE FUNCTION registry_audit_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'registry_audit is append-only';
END
$$;
CREATE TRIGGER registry_audit_no_change BEFORE UPDATE OR DELETE ON registry_audit
    FOR EACH ROW EXECUTE FUNCTION registry_audit_append_only();
CREATE TRIGGER registry_audit_no_truncate BEFORE TRUNCATE ON registry_audit
    FOR EACH STATEMENT EXECUTE FUNCTION registry_audit_append_only();
