-- Hot metric points in blocks (owned by tracking/metrics). A log-batch request writes one row per series and up to
-- 64 of its points, as three parallel arrays, instead of one row per point: a row of 64 points stays inline
-- (about 1.6 kB, under the TOAST threshold), costs a 26th of the heap headers and index entries, and the sealer
-- deletes and vacuum reclaims a 64th as many tuples. min_ts (the block's smallest timestamp) lets the sealer find
-- old blocks without opening the arrays.
--
-- V23's one-row-per-point metric_hot keeps its rows: the sealer drains it as it drains the V1 table, so this
-- migration creates structures only. Reads see both through the view metric_unsealed.
CREATE TABLE metric_hot_blocks (
    series_id bigint             NOT NULL,
    n         integer            NOT NULL,
    min_ts    bigint             NOT NULL,
    ts        bigint[]           NOT NULL,
    step      bigint[]           NOT NULL,
    value     double precision[] NOT NULL,
    -- three arrays of n points each: unnest would pad a shorter one with nulls
    CHECK (cardinality(ts) = n AND cardinality(step) = n AND cardinality(value) = n AND n > 0)
);
CREATE INDEX metric_hot_blocks_series_idx ON metric_hot_blocks (series_id);

-- Every unsealed point of V23 and later, one row per point (the V1 table metrics is read on its own).
CREATE VIEW metric_unsealed AS
    SELECT b.series_id, u.ts, u.step, u.value
    FROM metric_hot_blocks b CROSS JOIN LATERAL unnest(b.ts, b.step, b.value) AS u (ts, step, value)
    UNION ALL
    SELECT series_id, ts, step, value FROM metric_hot;
