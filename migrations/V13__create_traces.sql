-- Traces (MLflow 3 TraceInfoV3), the spans the server stores itself (OTLP ingest, or spans sent with a trace),
-- assessments (feedback and expectations) and trace-to-run links. Owned by the traces feature.
--
-- Times are milliseconds since the epoch (MLflow's precision for trace info); span times keep OTel's nanoseconds.

CREATE TABLE traces (
    -- Surrogate key for keyset search pages and child rows; trace_id ('tr-' + 32 hex) is the public identity.
    id                 bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    trace_id           text   NOT NULL UNIQUE,
    experiment_id      bigint NOT NULL REFERENCES experiments (experiment_id),
    client_request_id  text,
    request_preview    text,
    response_preview   text,
    request_time       bigint NOT NULL,
    -- Null while the trace is IN_PROGRESS with no known end.
    execution_duration bigint,
    state              text   NOT NULL CHECK (state IN ('STATE_UNSPECIFIED', 'OK', 'ERROR', 'IN_PROGRESS'))
);

-- Search's default order within an experiment: newest first, trace id as the tiebreak.
CREATE INDEX traces_experiment_time_idx ON traces (experiment_id, request_time DESC, trace_id);

CREATE TABLE trace_tags (
    trace_id bigint NOT NULL REFERENCES traces (id) ON DELETE CASCADE,
    key      text   NOT NULL,
    value    text   NOT NULL,
    PRIMARY KEY (trace_id, key)
);

CREATE TABLE trace_metadata (
    trace_id bigint NOT NULL REFERENCES traces (id) ON DELETE CASCADE,
    key      text   NOT NULL,
    value    text   NOT NULL,
    PRIMARY KEY (trace_id, key)
);

-- "Traces of this run" (metadata mlflow.sourceRun is looked up the same way).
CREATE INDEX trace_metadata_key_value_idx ON trace_metadata (key, value);

CREATE TABLE trace_spans (
    trace_id       bigint NOT NULL REFERENCES traces (id) ON DELETE CASCADE,
    span_id        text   NOT NULL CHECK (span_id ~ '^[0-9a-f]{16}$'),
    parent_span_id text            CHECK (parent_span_id ~ '^[0-9a-f]{16}$'),
    name           text   NOT NULL,
    start_time_ns  bigint NOT NULL,
    end_time_ns    bigint,
    status_code    text   NOT NULL CHECK (status_code IN ('UNSET', 'OK', 'ERROR')),
    status_message text   NOT NULL DEFAULT '',
    -- {"key": "<JSON-encoded value>"}: MLflow's convention, every attribute value is a JSON document as text.
    attributes     jsonb  NOT NULL DEFAULT '{}',
    -- [{"name", "time_unix_nano", "attributes": {...}}] in the order sent.
    events         jsonb  NOT NULL DEFAULT '[]',
    PRIMARY KEY (trace_id, span_id)
);

CREATE TABLE trace_assessments (
    assessment_id    text    PRIMARY KEY CHECK (assessment_id ~ '^a-[0-9a-f]{32}$'),
    trace_id         bigint  NOT NULL REFERENCES traces (id) ON DELETE CASCADE,
    name             text    NOT NULL,
    kind             text    NOT NULL CHECK (kind IN ('feedback', 'expectation')),
    -- The feedback's or expectation's message as the client sent it (value, error or serialized_value).
    body             jsonb   NOT NULL,
    span_id          text,
    source_type      text    NOT NULL DEFAULT 'SOURCE_TYPE_UNSPECIFIED',
    source_id        text,
    rationale        text,
    metadata         jsonb   NOT NULL DEFAULT '{}',
    run_id           text,
    overrides        text,
    valid            boolean NOT NULL DEFAULT true,
    create_time      bigint  NOT NULL,
    last_update_time bigint  NOT NULL
);

CREATE INDEX trace_assessments_trace_idx ON trace_assessments (trace_id, create_time);

-- link-to-run (mlflow.genai.evaluate): which runs a trace was linked to, by the run's public id.
CREATE TABLE trace_run_links (
    trace_id bigint NOT NULL REFERENCES traces (id) ON DELETE CASCADE,
    run_id   text   NOT NULL,
    PRIMARY KEY (trace_id, run_id)
);

CREATE INDEX trace_run_links_run_idx ON trace_run_links (run_id);
