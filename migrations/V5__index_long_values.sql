-- B-tree entries cannot exceed ~2.7 kB, but MLflow allows param values of 6000 and tag values of
-- 8000 characters (and mlflow.log-model.history grows without bound): a (key, value) b-tree made such
-- writes fail. Equality filters use hash indexes on the value (no size limit); key lookups use (key, run).
DROP INDEX params_key_value_idx;
DROP INDEX run_tags_key_value_idx;
DROP INDEX experiment_tags_key_value_idx;
CREATE INDEX params_key_run_idx ON params (key, run_id);
CREATE INDEX params_value_hash_idx ON params USING hash (value);
CREATE INDEX run_tags_key_run_idx ON run_tags (key, run_id);
CREATE INDEX run_tags_value_hash_idx ON run_tags USING hash (value);
CREATE INDEX experiment_tags_key_idx ON experiment_tags (key, experiment_id);
