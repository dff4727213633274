-- Imports from a live MLflow server (dev.cairn.imports): one row per job, and the source -> target id mapping of
-- what each job copied. A job is claimed by one replica at a time (FOR UPDATE SKIP LOCKED on import_jobs); a
-- RUNNING job whose heartbeat is older than cairn.import.heartbeat-timeout is claimed again and resumes.
CREATE TABLE import_jobs (
    id           uuid PRIMARY KEY,
    source       text   NOT NULL,
    -- What to copy and the non-secret S3 settings: {"experiments":[…],"models":[…],"s3":{"endpoint","region"}}.
    options      jsonb  NOT NULL,
    -- The source and S3 credentials, AES-GCM sealed (webhooks.SecretBox), kept only while the job can still run.
    credentials  bytea,
    state        text   NOT NULL CHECK (state IN ('PENDING', 'RUNNING', 'SUCCEEDED', 'FAILED')),
    worker       text,
    heartbeat_at bigint,
    attempts     integer NOT NULL DEFAULT 0,
    progress     jsonb  NOT NULL DEFAULT '{}',
    failures     jsonb  NOT NULL DEFAULT '[]',
    error        text,
    created_by   text,
    created_at   bigint NOT NULL,
    started_at   bigint,
    ended_at     bigint
);
-- The worker's claim query: pending jobs, and running ones whose heartbeat stopped.
CREATE INDEX import_jobs_claim_idx ON import_jobs (created_at) WHERE state IN ('PENDING', 'RUNNING');
CREATE INDEX import_jobs_list_idx ON import_jobs (created_at DESC, id DESC);

-- kind: EXPERIMENT, RUN, LOGGED_MODEL, MODEL, VERSION. done: the entity was copied completely; fingerprint: what
-- the source entity looked like then (a run's status and end time), so a later job for the same source skips it.
CREATE TABLE import_mappings (
    job_id      uuid    NOT NULL REFERENCES import_jobs (id) ON DELETE CASCADE,
    kind        text    NOT NULL,
    source_id   text    NOT NULL,
    target_id   text    NOT NULL,
    done        boolean NOT NULL DEFAULT false,
    fingerprint text,
    PRIMARY KEY (job_id, kind, source_id)
);
CREATE INDEX import_mappings_source_idx ON import_mappings (kind, source_id) WHERE done;
