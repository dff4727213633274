-- Compact metric history (owned by tracking/metrics). Points arrive in metric_hot, a narrow heap with one small
-- index, and a background job (MetricSealer) moves each series' points into sealed chunks of up to 4096 points:
-- timestamps and steps delta-encoded, values as 8-byte doubles (PostgreSQL compresses the bytea when that pays,
-- e.g. a constant learning rate). Reads merge chunks and hot points in one snapshot.
--
-- The V1 table metrics keeps its rows: the same job drains it series by series in the background, so this
-- migration creates structures only and runs in milliseconds whatever the data size.
--
-- Sharding (README, "Beyond one machine"): every table here is keyed by series_id first, so a distributed
-- PostgreSQL can place a series' hot points, chunks and rollups on one shard; no sequence is on the per-point path.

-- No unique key: exact duplicates (a retried request) are dropped when the series is sealed and when it is read,
-- which costs less than a unique check on every point. series_id alone keeps the index small (btree deduplication).
CREATE TABLE metric_hot (
    series_id bigint           NOT NULL,
    ts        bigint           NOT NULL,
    step      bigint           NOT NULL,
    value     double precision NOT NULL
);
CREATE INDEX metric_hot_series_idx ON metric_hot (series_id);

-- Sealed, non-overlapping runs of a series' points in MLflow's history order (timestamp, step, value), keyed by
-- their last point. data is MetricChunkCodec's encoding of the n points.
CREATE TABLE metric_chunks (
    series_id  bigint           NOT NULL REFERENCES metric_series (id) ON DELETE CASCADE,
    last_ts    bigint           NOT NULL,
    last_step  bigint           NOT NULL,
    last_value double precision NOT NULL,
    first_ts   bigint           NOT NULL,
    first_step bigint           NOT NULL,
    first_value double precision NOT NULL,
    n          integer          NOT NULL,
    data       bytea            NOT NULL,
    PRIMARY KEY (series_id, last_ts, last_step, last_value)
);

-- Summaries of consecutive points of a chunk, at three levels: 0 = blocks of 64 points, 1 = blocks of 1024,
-- 2 = the whole chunk (levels 0 and 1 are left out when one block would be the whole chunk: the chunk's row stands
-- in). Rewritten with their chunk. Downsampling of long series and full-history statistics read
-- these instead of the points. vmin/vmax and the two "last" points cover finite values only (null when none):
-- t_* is the block's greatest finite point by (ts, step, value), s_* by (step, ts, value).
CREATE TABLE metric_rollups (
    series_id  bigint           NOT NULL REFERENCES metric_series (id) ON DELETE CASCADE,
    level      smallint         NOT NULL,
    last_ts    bigint           NOT NULL,
    last_step  bigint           NOT NULL,
    last_value double precision NOT NULL,
    first_ts   bigint           NOT NULL,
    step_min   bigint           NOT NULL,
    step_max   bigint           NOT NULL,
    n          integer          NOT NULL,
    finite     integer          NOT NULL,
    vmin       double precision,
    vmax       double precision,
    t_ts       bigint,
    t_step     bigint,
    t_value    double precision,
    s_step     bigint,
    s_ts       bigint,
    s_value    double precision,
    PRIMARY KEY (series_id, level, last_ts, last_step, last_value)
);
