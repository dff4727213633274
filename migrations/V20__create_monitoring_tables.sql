-- Production measurements of model versions and the monitors that watch them. Owned by the monitoring feature.

-- One row per (model, version, environment, measurement name); points refer to it, so a point costs its own few
-- columns only.
CREATE TABLE measurement_series (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    model_id    bigint NOT NULL REFERENCES registered_models (id) ON DELETE CASCADE,
    version     int    NOT NULL,
    environment text   NOT NULL,
    name        text   NOT NULL,
    UNIQUE (model_id, version, environment, name)
);

-- Raw points, kept for the retention (CAIRN_MEASUREMENT_RETENTION); older ones are folded into hourly rollups.
-- A retry never double-counts: the natural key (series, time, value) and the client's id are both unique.
CREATE TABLE measurements (
    series_id bigint           NOT NULL REFERENCES measurement_series (id) ON DELETE CASCADE,
    ts        bigint           NOT NULL,
    value     double precision NOT NULL,
    client_id text,
    PRIMARY KEY (series_id, ts, value)
);
CREATE UNIQUE INDEX measurements_client_id_idx ON measurements (series_id, client_id) WHERE client_id IS NOT NULL;

CREATE TABLE measurement_rollups (
    series_id  bigint           NOT NULL REFERENCES measurement_series (id) ON DELETE CASCADE,
    hour_start bigint           NOT NULL,
    count      bigint           NOT NULL,
    sum        double precision NOT NULL,
    min        double precision NOT NULL,
    max        double precision NOT NULL,
    last_ts    bigint           NOT NULL,
    last_value double precision NOT NULL,
    PRIMARY KEY (series_id, hour_start)
);

-- A monitor watches whichever version holds its target (a stage or an alias) in one environment with one rule.
CREATE TABLE monitors (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    model_id      bigint  NOT NULL REFERENCES registered_models (id) ON DELETE CASCADE,
    name          text    NOT NULL,
    target_kind   text    NOT NULL CHECK (target_kind IN ('STAGE', 'ALIAS')),
    target        text    NOT NULL,
    environment   text    NOT NULL,
    rule          jsonb   NOT NULL,
    retrain       boolean NOT NULL DEFAULT false,
    state         text    NOT NULL CHECK (state IN ('PENDING', 'OK', 'ALERT', 'NO_DATA')),
    since         bigint  NOT NULL,
    value         double precision,
    version       int,
    version_since bigint,
    detail        text,
    muted_until   bigint,
    mute_comment  text,
    evaluations   bigint  NOT NULL DEFAULT 0,
    evaluated_at  bigint,
    next_eval_at  bigint  NOT NULL,
    created_by    text    NOT NULL,
    updated_at    bigint  NOT NULL,
    UNIQUE (model_id, name)
);
CREATE INDEX monitors_due_idx ON monitors (next_eval_at);

-- Every state a monitor entered, with the version it belonged to and the value that caused it; and mutes.
CREATE TABLE monitor_history (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    monitor_id bigint NOT NULL REFERENCES monitors (id) ON DELETE CASCADE,
    time       bigint NOT NULL,
    state      text   NOT NULL,
    version    int,
    value      double precision,
    detail     text,
    actor      text
);
CREATE INDEX monitor_history_monitor_idx ON monitor_history (monitor_id, id);
