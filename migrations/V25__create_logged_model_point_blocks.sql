-- Points attributed to logged models in blocks, as V24 did for the run's hot points (owned by tracking/metrics).
-- V16's one row per point cost about 110 bytes a point (heap row plus a four-column primary key) and made an
-- attributed log-batch four times slower than a plain one: a 1000-row insert maintaining that key. A request now
-- writes one row per attribution and up to 64 of its points, as three parallel arrays, by binary COPY.
-- There is no unique key: a retried request's exact duplicates are stored again and dropped by every read
-- (as MLflow's primary key would have ignored them).
--
-- V16's rows stay where they are, renamed; the metric sealer moves them into blocks in the background, so this
-- migration changes no data. Reads see both through the view that takes the old table's name.
ALTER TABLE logged_model_points RENAME TO logged_model_point_rows;

-- One foreign key check per block, not per point; deleting an attribution deletes its blocks.
CREATE TABLE logged_model_point_blocks (
    attribution_id bigint             NOT NULL REFERENCES logged_model_attributions (id) ON DELETE CASCADE,
    n              integer            NOT NULL,
    min_ts         bigint             NOT NULL,
    ts             bigint[]           NOT NULL,
    step           bigint[]           NOT NULL,
    value          double precision[] NOT NULL,
    CHECK (cardinality(ts) = n AND cardinality(step) = n AND cardinality(value) = n AND n > 0)
);
CREATE INDEX logged_model_point_blocks_attribution_idx ON logged_model_point_blocks (attribution_id);

-- V16's trigger deleted from logged_model_points, which is now the view: it deletes the old rows by their new name.
CREATE OR REPLACE FUNCTION logged_model_attributions_delete_points() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM logged_model_point_rows WHERE attribution_id = OLD.id;
    RETURN OLD;
END
$$;

-- Every attributed point, one row per point (exact duplicates included: readers that list points drop them).
CREATE VIEW logged_model_points AS
    SELECT b.attribution_id, u.ts, u.step, u.value
    FROM logged_model_point_blocks b CROSS JOIN LATERAL unnest(b.ts, b.step, b.value) AS u (ts, step, value)
    UNION ALL
    SELECT attribution_id, ts, step, value FROM logged_model_point_rows;
