-- Artifacts: the database is the index of what exists; the object store only holds bytes.
-- Object keys derive from ids (run uuid + a random upload id), never from user paths, so a file
-- becomes visible only when its row commits, and an overwrite never mixes two uploads.

CREATE TABLE artifact_files (
    run_id       bigint NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
    -- Normalised path relative to the run's artifact root: no leading slash, no '.' or '..' segments.
    path         text   NOT NULL,
    object_key   text   NOT NULL UNIQUE,
    size         bigint NOT NULL CHECK (size >= 0),
    sha256       text   NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
    content_type text,
    created_time bigint NOT NULL,
    PRIMARY KEY (run_id, path)
);

-- Objects that are not (or no longer) referenced by artifact_files: uploads in flight or interrupted,
-- and the previous object of an overwritten or deleted file. The sweeper removes them from the store
-- once they are old enough (in-flight uploads) or immediately (replaced/deleted objects).
CREATE TABLE artifact_orphans (
    object_key  text    PRIMARY KEY,
    since       bigint  NOT NULL,
    in_flight   boolean NOT NULL
);

-- Multipart uploads started through the MLflow mpu routes and not yet completed or aborted.
CREATE TABLE artifact_multipart_uploads (
    -- Cairn's id handed to clients; the store's own upload id stays server-side.
    upload_id       text   PRIMARY KEY,
    store_upload_id text   NOT NULL,
    run_id       bigint NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
    path         text   NOT NULL,
    object_key   text   NOT NULL UNIQUE,
    created_time bigint NOT NULL
);
