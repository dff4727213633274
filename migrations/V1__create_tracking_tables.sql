-- Tracking core: experiments, runs, params, tags, metric histories, dataset inputs.
-- Invariants live here as constraints; the application maps violations to MLflow error codes.

CREATE TABLE experiments (
    experiment_id     bigint PRIMARY KEY,
    name              text   NOT NULL,
    artifact_location text   NOT NULL,
    lifecycle_stage   text   NOT NULL DEFAULT 'active' CHECK (lifecycle_stage IN ('active', 'deleted')),
    creation_time     bigint NOT NULL,
    last_update_time  bigint NOT NULL,
    -- Set while deleted; restoring brings back exactly the runs the deletion cascaded to.
    deleted_time      bigint,
    CONSTRAINT experiments_name_key UNIQUE (name)
);
-- Ids come from a sequence so the service knows the id (and the default artifact location) before insert.
-- Experiment 0 is MLflow's "Default"; user experiments start at 1.
CREATE SEQUENCE experiments_id_seq START WITH 1 OWNED BY experiments.experiment_id;
INSERT INTO experiments (experiment_id, name, artifact_location, lifecycle_stage, creation_time, last_update_time)
VALUES (0, 'Default', 'mlflow-artifacts:/0', 'active',
        (extract(epoch FROM now()) * 1000)::bigint, (extract(epoch FROM now()) * 1000)::bigint);

CREATE TABLE experiment_tags (
    experiment_id bigint NOT NULL REFERENCES experiments (experiment_id) ON DELETE CASCADE,
    key           text   NOT NULL,
    value         text   NOT NULL,
    PRIMARY KEY (experiment_id, key)
);
CREATE INDEX experiment_tags_key_value_idx ON experiment_tags (key, value);

-- runs.id is an internal surrogate (compact foreign key for the high-volume tables);
-- run_uuid is the public MLflow run id.
CREATE TABLE runs (
    id              bigint PRIMARY KEY,
    run_uuid        text   NOT NULL UNIQUE,
    experiment_id   bigint NOT NULL REFERENCES experiments (experiment_id),
    name            text   NOT NULL,
    user_id         text,
    status          text   NOT NULL CHECK (status IN ('RUNNING', 'SCHEDULED', 'FINISHED', 'FAILED', 'KILLED')),
    start_time      bigint NOT NULL,
    end_time        bigint,
    lifecycle_stage text   NOT NULL DEFAULT 'active' CHECK (lifecycle_stage IN ('active', 'deleted')),
    deleted_time    bigint,
    artifact_uri    text   NOT NULL
);
CREATE SEQUENCE runs_id_seq START WITH 1 OWNED BY runs.id;
-- Default search order within an experiment: start_time DESC, run_uuid ASC.
CREATE INDEX runs_experiment_start_idx ON runs (experiment_id, start_time DESC, run_uuid);

CREATE TABLE params (
    run_id bigint NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
    key    text   NOT NULL,
    value  text   NOT NULL,
    PRIMARY KEY (run_id, key)
);
-- Serves search filters such as params.lr = '0.01' across many runs.
CREATE INDEX params_key_value_idx ON params (key, value);

CREATE TABLE run_tags (
    run_id bigint NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
    key    text   NOT NULL,
    value  text   NOT NULL,
    PRIMARY KEY (run_id, key)
);
CREATE INDEX run_tags_key_value_idx ON run_tags (key, value);

-- One row per (run, metric key): the series id used by the history table, plus the latest value
-- (max by (step, timestamp, value), as MLflow defines it), maintained by the ingestion upsert.
-- fillfactor leaves room for HOT updates: the latest_* columns change on every batch and are not indexed.
CREATE TABLE metric_series (
    id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    run_id           bigint           NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
    key              text             NOT NULL,
    latest_value     double precision NOT NULL,
    latest_timestamp bigint           NOT NULL,
    latest_step      bigint           NOT NULL,
    CONSTRAINT metric_series_run_key UNIQUE (run_id, key)
) WITH (fillfactor = 80);
CREATE INDEX metric_series_key_run_idx ON metric_series (key, run_id);

-- Full metric history. Narrow rows and no foreign key (a per-row RI trigger would halve ingestion
-- throughput); series rows are only ever removed together with their run, which cascades here via
-- the application's hard-delete path (none exists yet: runs are soft-deleted).
-- The primary key both de-duplicates exact repeats (MLflow semantics) and serves get-history in
-- MLflow's order (timestamp, step, value) with keyset paging.
-- NaN is stored as NaN; +/-Infinity are stored as +/-1.7976931348623157e308 as MLflow does.
CREATE TABLE metrics (
    series_id bigint           NOT NULL,
    ts        bigint           NOT NULL,
    step      bigint           NOT NULL,
    value     double precision NOT NULL,
    PRIMARY KEY (series_id, ts, step, value)
);

CREATE TABLE datasets (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    experiment_id bigint NOT NULL REFERENCES experiments (experiment_id),
    name          text   NOT NULL,
    digest        text   NOT NULL,
    source_type   text   NOT NULL,
    source        text   NOT NULL,
    schema        text,
    profile       text,
    CONSTRAINT datasets_experiment_name_digest UNIQUE (experiment_id, name, digest)
);

CREATE TABLE run_inputs (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    run_id     bigint NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
    dataset_id bigint NOT NULL REFERENCES datasets (id),
    CONSTRAINT run_inputs_run_dataset UNIQUE (run_id, dataset_id)
);
CREATE INDEX run_inputs_dataset_idx ON run_inputs (dataset_id);

CREATE TABLE input_tags (
    input_id bigint NOT NULL REFERENCES run_inputs (id) ON DELETE CASCADE,
    key      text   NOT NULL,
    value    text   NOT NULL,
    PRIMARY KEY (input_id, key)
);

-- MLflow 3 logged-model links: models used as inputs and produced as outputs of a run.
CREATE TABLE run_model_inputs (
    run_id   bigint NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
    model_id text   NOT NULL,
    PRIMARY KEY (run_id, model_id)
);

CREATE TABLE run_model_outputs (
    run_id   bigint NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
    model_id text   NOT NULL,
    step     bigint NOT NULL,
    PRIMARY KEY (run_id, model_id, step)
);
