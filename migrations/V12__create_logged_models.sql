-- MLflow 3 logged models: first-class models of an experiment, optionally produced by a run, with their own
-- artifact root (<experiment artifact location>/models/<model_id>/artifacts), immutable params and mutable tags.
-- Owned by tracking/models, except logged_model_metrics (tracking/metrics writes it on the ingestion path).

CREATE TABLE logged_models (
    -- Internal key used by the child tables; the public id is model_id.
    id                bigint PRIMARY KEY,
    model_id          text   NOT NULL UNIQUE CHECK (model_id ~ '^m-[0-9a-f]{32}$'),
    experiment_id     bigint NOT NULL REFERENCES experiments (experiment_id),
    name              text   NOT NULL,
    model_type        text,
    -- A run id as the client sent it; not a foreign key (MLflow does not require the run to exist).
    source_run_id     text,
    creator_id        bigint,
    status            text   NOT NULL CHECK (status IN ('PENDING', 'READY', 'UPLOAD_FAILED')),
    status_message    text,
    creation_time     bigint NOT NULL,
    last_updated_time bigint NOT NULL,
    artifact_uri      text   NOT NULL,
    lifecycle_stage   text   NOT NULL DEFAULT 'active' CHECK (lifecycle_stage IN ('active', 'deleted'))
);
CREATE SEQUENCE logged_models_id_seq START WITH 1 OWNED BY logged_models.id;
-- Default search order within an experiment: creation_time DESC, model_id ASC.
CREATE INDEX logged_models_experiment_created_idx ON logged_models (experiment_id, creation_time DESC, model_id);
-- register_model("runs:/<run>/<name>") and list_artifacts(run, path) look models up by their run.
CREATE INDEX logged_models_source_run_idx ON logged_models (source_run_id, name);

-- Immutable, like run params: the same value again is a no-op, another value a 400.
CREATE TABLE logged_model_params (
    model_id bigint NOT NULL REFERENCES logged_models (id) ON DELETE CASCADE,
    key      text   NOT NULL,
    value    text   NOT NULL,
    PRIMARY KEY (model_id, key)
);

CREATE TABLE logged_model_tags (
    model_id bigint NOT NULL REFERENCES logged_models (id) ON DELETE CASCADE,
    key      text   NOT NULL,
    value    text   NOT NULL,
    PRIMARY KEY (model_id, key)
);

-- Metric points logged with a model_id (MLflow 3 attribution), in addition to their ordinary row in metrics.
-- Written only for attributed points, so plain ingestion pays nothing. The series gives key and run;
-- '' stands for "no dataset" so the primary key can de-duplicate retries as metrics' does.
CREATE TABLE logged_model_metrics (
    model_id       bigint           NOT NULL REFERENCES logged_models (id) ON DELETE CASCADE,
    series_id      bigint           NOT NULL REFERENCES metric_series (id) ON DELETE CASCADE,
    dataset_name   text             NOT NULL DEFAULT '',
    dataset_digest text             NOT NULL DEFAULT '',
    ts             bigint           NOT NULL,
    step           bigint           NOT NULL,
    value          double precision NOT NULL,
    PRIMARY KEY (model_id, series_id, dataset_name, dataset_digest, ts, step, value)
);
CREATE INDEX logged_model_metrics_series_idx ON logged_model_metrics (series_id);
