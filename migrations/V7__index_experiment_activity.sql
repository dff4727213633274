-- The experiments page shows each experiment's active run count and last activity (latest start or end time).
-- This partial covering index answers both with an index-only scan instead of visiting every run row.
CREATE INDEX runs_experiment_activity_idx ON runs (experiment_id) INCLUDE (start_time, end_time)
    WHERE lifecycle_stage = 'active';
