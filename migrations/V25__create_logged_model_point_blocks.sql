-- Points attributed to logged models in blocks, as V24 did for the run's hot points (owned by tracking/metrics).
-- V16's one row per point cost about 110 bytes a point (heap row plus a four-column primary key) and made an
-- attributed log-batch four times slower than a plain one: a 1000-row insert maintaining that key. A request now
-- writes one row per attribution and up to 64 of its points, as three parallel arrays, by binary COPY, as for the
-- run's hot points (inline: nothing to compress on the request's path, 32 bytes a point as four rows fill a page).
-- The metric sealer merges an attribution's small blocks into rows of up to 1024 points, which PostgreSQL compresses
-- (rows over the TOAST threshold, about 85 points): 16-17 bytes a point measured.
-- There is no unique key: a retried request's exact duplicates are stored again and dropped by every read that
-- lists points.
--
-- V16's logged_model_points keeps its name and rows, so a replica not yet upgraded goes on writing and reading it
-- during a rolling upgrade; the metric sealer moves its rows into blocks in the background, and this migration
-- changes no data. Reads see both through the view logged_model_points_all.

-- One foreign key check per block, not per point; deleting an attribution deletes its blocks (V16's rows go by its
-- trigger). max_ts (the block's greatest timestamp) finds the block holding an attribution's newest point.
CREATE TABLE logged_model_point_blocks (
    attribution_id bigint             NOT NULL REFERENCES logged_model_attributions (id) ON DELETE CASCADE,
    n              integer            NOT NULL,
    max_ts         bigint             NOT NULL,
    ts             bigint[]           NOT NULL,
    step           bigint[]           NOT NULL,
    value          double precision[] NOT NULL,
    CHECK (cardinality(ts) = n AND cardinality(step) = n AND cardinality(value) = n AND n > 0)
);
CREATE INDEX logged_model_point_blocks_newest_idx ON logged_model_point_blocks (attribution_id, max_ts);

-- Every attributed point, one row per point (exact duplicates included: readers that list points drop them). Read it
-- with attribution_id = <outer column> inside a LATERAL subquery, so the condition reaches both tables' indexes (as a
-- join condition it does not reach the blocks: a sequential scan of them per outer row).
CREATE VIEW logged_model_points_all AS
    SELECT b.attribution_id, u.ts, u.step, u.value
    FROM logged_model_point_blocks b CROSS JOIN LATERAL unnest(b.ts, b.step, b.value) AS u (ts, step, value)
    UNION ALL
    SELECT attribution_id, ts, step, value FROM logged_model_points;

-- The newest point (greatest timestamp, then step, then value) of one attribution, reading only its blocks with the
-- greatest max_ts and V16's rows by their key: a search ordered by a model's metric reads a block per model, not
-- every point. Callers join it LATERAL. (Its body names both tables: whoever drops V16's table replaces it.)
CREATE FUNCTION logged_model_newest_point(attribution bigint)
    RETURNS TABLE (ts bigint, step bigint, value double precision) LANGUAGE sql STABLE AS $$
    SELECT x.ts, x.step, x.value FROM (
        SELECT u.ts, u.step, u.value FROM logged_model_point_blocks b
        CROSS JOIN LATERAL unnest(b.ts, b.step, b.value) AS u (ts, step, value)
        WHERE b.attribution_id = attribution
          AND b.max_ts = (SELECT max(m.max_ts) FROM logged_model_point_blocks m WHERE m.attribution_id = attribution)
        UNION ALL
        (SELECT r.ts, r.step, r.value FROM logged_model_points r WHERE r.attribution_id = attribution
         ORDER BY r.ts DESC, r.step DESC, r.value DESC LIMIT 1)
    ) x ORDER BY x.ts DESC, x.step DESC, x.value DESC LIMIT 1
$$;
