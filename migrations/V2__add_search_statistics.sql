-- Search filters such as params.lr = '0.01' depend on key and value together; without extended
-- statistics the planner multiplies their selectivities and underestimates matches by orders of magnitude.
CREATE STATISTICS params_key_value_stats (dependencies, mcv) ON key, value FROM params;
CREATE STATISTICS run_tags_key_value_stats (dependencies, mcv) ON key, value FROM run_tags;
