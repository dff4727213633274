-- Traces become the third artifact owner kind: their files (<experiment>/traces/<trace_id>/artifacts/…, e.g. the
-- traces.json of a client that keeps spans as an artifact) get every guarantee run and logged-model files have.
-- Owned by artifacts. Deleting a trace (a hard delete) cascades to its owner row and its files; the traces feature
-- hands the files' objects to the sweeper in the same transaction, before the cascade removes their rows.

ALTER TABLE artifact_owners ADD COLUMN trace_id bigint UNIQUE REFERENCES traces (id) ON DELETE CASCADE;

ALTER TABLE artifact_owners DROP CONSTRAINT artifact_owners_one_entity;
ALTER TABLE artifact_owners ADD CONSTRAINT artifact_owners_one_entity
    CHECK (num_nonnulls(run_id, logged_model_id, trace_id) = 1);
